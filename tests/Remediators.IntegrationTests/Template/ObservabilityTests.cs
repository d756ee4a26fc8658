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
        // ${X} and ${X.Attribute} become "X" and "X.Attribute", so the body parses and names what it shows.
        var body = SubVariable().Replace(dashboard.Properties.GetProperty("DashboardBody").GetProperty("Fn::Sub").GetString()!, "$1");
        using var parsed = JsonDocument.Parse(body);
        var metrics = parsed.RootElement.GetProperty("widgets").EnumerateArray()
            .SelectMany(w => w.GetProperty("properties").GetProperty("metrics").EnumerateArray())
            .Select(m => string.Join(" ", m.EnumerateArray().Where(part => part.ValueKind == JsonValueKind.String).Select(part => part.GetString())))
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(template.DeadLetterQueues(), queue => Assert.Contains($"AWS/SQS ApproximateNumberOfMessagesVisible QueueName {queue}.QueueName", metrics));
        Assert.All(template.OfType("AWS::Lambda::Function"), function => Assert.Contains($"AWS/Lambda Duration FunctionName {function.Id}", metrics));
    }

    [GeneratedRegex(@"\$\{([^}!]+)\}")]
    private static partial Regex SubVariable();
}
