using System.Diagnostics;
using System.Text.Json;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// template.yaml as CloudFormation deploys it: after the SAM transform, so the rules, invoke configs, event source mappings
/// and roles SAM generates can be checked too. transform_template.py runs cfn-lint's offline SAM transform.
/// </summary>
public sealed class TransformedTemplate : IAsyncLifetime
{
    private JsonDocument? _document;

    public JsonElement Root => _document!.RootElement;

    public JsonElement Resources => Root.GetProperty(nameof(Resources));

    public async Task InitializeAsync() => _document = await LoadAsync("template.yaml");

    /// <summary>A template of the repository root as CloudFormation JSON (a plain CloudFormation template passes unchanged).</summary>
    public static async Task<JsonDocument> LoadAsync(string fileName)
    {
        using var python = Process.Start(new ProcessStartInfo("python3", [
            Path.Combine(AppContext.BaseDirectory, "Template", "transform_template.py"),
            Path.Combine(LocalInvoke.RepoRoot, fileName),
        ])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();

        return python.ExitCode == 0
            ? JsonDocument.Parse(await output)
            : throw new InvalidOperationException($"The transform of {fileName} failed: {await errors}");
    }

    public Task DisposeAsync()
    {
        _document?.Dispose();
        return Task.CompletedTask;
    }

    public JsonElement Resource(string logicalId) => Resources.GetProperty(logicalId);

    /// <summary>Every resource of <paramref name="type"/>, with its Properties.</summary>
    public IEnumerable<(string Id, JsonElement Properties)> OfType(string type) =>
        Resources.EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == type)
            .Select(r => (r.Name, r.Value.TryGetProperty("Properties", out var properties) ? properties : default));

    public bool IsOfType(string logicalId, string type) =>
        Resources.TryGetProperty(logicalId, out var resource) && resource.GetProperty("Type").GetString() == type;

    /// <summary>
    /// Every queue that holds what could not be handled: functions' on-failure destinations, queues' redrive targets and
    /// rule targets' dead-letter queues.
    /// </summary>
    public IReadOnlySet<string> DeadLetterQueues() =>
        OnFailureDestinations()
            .Concat(OfType("AWS::SQS::Queue").Select(q => Intrinsics.Property(q.Properties, "RedrivePolicy", "deadLetterTargetArn")))
            .Concat(RuleTargets().Select(t => Intrinsics.Property(t.Target, "DeadLetterConfig", "Arn")))
            .OfType<JsonElement>()
            .Select(arn => Intrinsics.GetAtt(arn, "Arn"))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

    public IEnumerable<(string Rule, JsonElement Target)> RuleTargets() =>
        OfType("AWS::Events::Rule").SelectMany(rule => rule.Properties.GetProperty("Targets").EnumerateArray().Select(target => (rule.Id, target)));

    private IEnumerable<JsonElement?> OnFailureDestinations() =>
        OfType("AWS::Lambda::EventInvokeConfig").Select(c => Intrinsics.Property(c.Properties, "DestinationConfig", "OnFailure", "Destination"));

    /// <summary>A value as deployed with every parameter at its default: a <c>Ref</c> of a parameter gives its Default.</summary>
    public string? WithDefaults(JsonElement value) =>
        Intrinsics.Ref(value) is { } name && _document!.RootElement.GetProperty("Parameters").TryGetProperty(name, out var parameter)
            ? parameter.GetProperty("Default").ToString()
            : value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Reads the intrinsic functions of CloudFormation JSON.</summary>
public static class Intrinsics
{
    /// <returns>The logical id or parameter <paramref name="value"/> refers to with <c>Ref</c>, else null.</returns>
    public static string? Ref(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Ref", out var name) ? name.GetString() : null;

    /// <returns>The logical id whose <paramref name="attribute"/> <paramref name="value"/> takes with <c>Fn::GetAtt</c>, else null.</returns>
    public static string? GetAtt(JsonElement value, string attribute) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Fn::GetAtt", out var getAtt)
            && getAtt.ValueKind == JsonValueKind.Array && getAtt.GetArrayLength() == 2 && getAtt[1].GetString() == attribute
            ? getAtt[0].GetString()
            : null;

    public static JsonElement? Property(JsonElement owner, params string[] path)
    {
        var current = owner;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                return null;
        }
        return current;
    }
}

[CollectionDefinition(Name)]
public sealed class TransformedTemplateCollection : ICollectionFixture<TransformedTemplate>
{
    public const string Name = "transformed template";
}
