using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>member-roles.yaml and member-forwarding.yaml as CloudFormation reads them (intrinsics in their long form).</summary>
public sealed class MemberTemplates : IAsyncLifetime
{
    private JsonDocument? _roles;
    private JsonDocument? _forwarding;

    public JsonElement Roles => _roles!.RootElement;

    public JsonElement Forwarding => _forwarding!.RootElement;

    public async Task InitializeAsync()
    {
        _roles = await TransformedTemplate.LoadAsync("member-roles.yaml");
        _forwarding = await TransformedTemplate.LoadAsync("member-forwarding.yaml");
    }

    public Task DisposeAsync()
    {
        _roles?.Dispose();
        _forwarding?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Every resource of <paramref name="type"/> in <paramref name="template"/>, with its Condition (null if none) and Properties.</summary>
    public static IEnumerable<(string Id, string? Condition, JsonElement Properties)> OfType(JsonElement template, string type) =>
        template.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == type)
            .Select(r => (r.Name, r.Value.TryGetProperty("Condition", out var condition) ? condition.GetString() : null, r.Value.GetProperty("Properties")));
}
