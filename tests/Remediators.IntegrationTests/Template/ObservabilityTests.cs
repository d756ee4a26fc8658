using System.Text.Json;
using System.Text.RegularExpressions;

namespace Remediators.IntegrationTests.Template;

/// <summary>Every function can be followed: JSON logs kept for a set time, X-Ray traces, and a place on the dashboard.</summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed partial class ObservabilityTests(TransformedTemplate template)
{
    [Fact]
    public void EveryFunction_LogsJson_ToALogGroupOfTheStackWithARetention()
    {
        var functions = template.OfType("AWS::Lambda::Function").ToList();

        Assert.NotEmpty(functions);
        Assert.All(functions, function =>
        {
            Assert.Equal("JSON", Intrinsics.Property(function.Properties, "LoggingConfig", "LogFormat")?.GetString());
            var group = Intrinsics.Property(function.Properties, "LoggingConfig", "LogGroup") is { } reference ? Intrinsics.Ref(reference) : null;
            Assert.True(group is not null && template.IsOfType(group, "AWS::Logs::LogGroup"), $"{function.Id} must log to a log group of the stack.");
            Assert.Equal("LogRetentionDays", Intrinsics.Ref(template.Resource(group).GetProperty("Properties").GetProperty("RetentionInDays")));
        });
    }

    [Fact]
    public void EveryFunction_TracesActively_WithTheDefaultParameters()
    {
        var functions = template.OfType("AWS::Lambda::Function").ToList();

        var untraced = functions.Where(f => Intrinsics.Property(f.Properties, "TracingConfig", "Mode") is not { } mode || template.WithDefaults(mode) != "Active");

        Assert.NotEmpty(functions);
        Assert.Empty(untraced.Select(f => f.Id));
    }

    [Fact]
    public void Dashboard_ShowsEveryDeadLetterQueue_AndEveryFunctionsDuration()
    {
        var dashboard = Assert.Single(template.OfType("AWS::CloudWatch::Dashboard"));
        // ${X} and ${X.Attribute} become "X" and "X.Attribute", so the body parses and names what it shows; a variable of the
        // Sub's own map (a queue that exists only under a condition) becomes the attribute it stands for.
        var sub = dashboard.Properties.GetProperty("DashboardBody").GetProperty("Fn::Sub");
        var variables = sub.ValueKind == JsonValueKind.Array
            ? sub[1].EnumerateObject().ToDictionary(v => v.Name, v => AttributeIn(v.Value) ?? v.Name, StringComparer.Ordinal)
            : [];
        var text = sub.ValueKind == JsonValueKind.Array ? sub[0].GetString()! : sub.GetString()!;
        var body = SubVariable().Replace(text, m => variables.GetValueOrDefault(m.Groups[1].Value, m.Groups[1].Value));
        using var parsed = JsonDocument.Parse(body);
        var metrics = parsed.RootElement.GetProperty("widgets").EnumerateArray()
            .SelectMany(w => w.GetProperty("properties").GetProperty("metrics").EnumerateArray())
            .Select(m => string.Join(" ", m.EnumerateArray().Where(part => part.ValueKind == JsonValueKind.String).Select(part => part.GetString())))
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(template.DeadLetterQueues(), queue => Assert.Contains($"AWS/SQS ApproximateNumberOfMessagesVisible QueueName {queue}.QueueName", metrics));
        Assert.All(template.OfType("AWS::Lambda::Function"), function => Assert.Contains($"AWS/Lambda Duration FunctionName {function.Id}", metrics));
    }

    // The X.Attribute of the first Fn::GetAtt inside a Sub variable's value (which may be an Fn::If).
    private static string? AttributeIn(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object when value.TryGetProperty("Fn::GetAtt", out var attribute) => attribute.ValueKind == JsonValueKind.Array
            ? $"{attribute[0].GetString()}.{attribute[1].GetString()}" : attribute.GetString(),
        JsonValueKind.Object => value.EnumerateObject().Select(p => AttributeIn(p.Value)).FirstOrDefault(a => a is not null),
        JsonValueKind.Array => value.EnumerateArray().Select(AttributeIn).FirstOrDefault(a => a is not null),
        _ => null,
    };

    [GeneratedRegex(@"\$\{([^}!]+)\}")]
    private static partial Regex SubVariable();
}
