using System.Collections.Immutable;
using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// Where a function's role grants an action, as written: for each statement naming it, the conditions whose <c>Fn::If</c>
/// true branch holds the statement (or its policy), so a reader finds every optional permission next to its condition.
/// </summary>
public static class StatementGuards
{
    public static IEnumerable<IReadOnlySet<string>> Of(JsonElement root, string functionId, string action) =>
        OfRole(root, Intrinsics.GetAtt(root.GetProperty("Resources").GetProperty(functionId).GetProperty("Properties").GetProperty("Role"), "Arn")!, action);

    /// <summary>The same for a role of the template, by its logical id.</summary>
    public static IEnumerable<IReadOnlySet<string>> OfRole(JsonElement root, string role, string action)
    {
        var resources = root.GetProperty("Resources");
        var properties = resources.GetProperty(role).GetProperty("Properties");
        var inline = properties.TryGetProperty("Policies", out var policies)
            ? policies.EnumerateArray().SelectMany(p => Branches(p, [])).Select(p => (Document: p.Node.GetProperty("PolicyDocument"), p.Guards))
            : [];
        var managed = properties.TryGetProperty("ManagedPolicyArns", out var arns)
            ? arns.EnumerateArray().SelectMany(a => Branches(a, [])).Where(a => Intrinsics.Ref(a.Node) is { } id && resources.TryGetProperty(id, out _))
                .Select(a => (Document: resources.GetProperty(Intrinsics.Ref(a.Node)!).GetProperty("Properties").GetProperty("PolicyDocument"), a.Guards))
            : [];
        // A policy resource attached to the role is guarded by its Condition and every condition that Condition's And requires.
        var attached = AttachedPolicies(root, role).Select(p => (Document: p.Properties.GetProperty("PolicyDocument"),
            Guards: p.Condition is null ? ImmutableHashSet<string>.Empty : Required(root, p.Condition)));
        return inline.Concat(managed).Concat(attached)
            .SelectMany(d => Statements(d.Document).SelectMany(s => Branches(s, d.Guards)))
            .Where(s => s.Node.ValueKind == JsonValueKind.Object && Names(s.Node).Contains(action))
            .Select(s => (IReadOnlySet<string>)s.Guards);
    }

    /// <summary>The <c>AWS::IAM::Policy</c> resources whose Roles name <paramref name="role"/>, with their Condition.</summary>
    public static IEnumerable<(string? Condition, JsonElement Properties)> AttachedPolicies(JsonElement root, string role) =>
        root.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == "AWS::IAM::Policy"
                && r.Value.GetProperty("Properties").TryGetProperty("Roles", out var roles) && roles.EnumerateArray().Any(named => Intrinsics.Ref(named) == role))
            .Select(r => (r.Value.TryGetProperty("Condition", out var condition) ? condition.GetString() : null, r.Value.GetProperty("Properties")));

    private static ImmutableHashSet<string> Required(JsonElement root, string condition)
    {
        var definition = root.GetProperty("Conditions").GetProperty(condition);
        var parts = definition.TryGetProperty("Fn::And", out var all)
            ? all.EnumerateArray().Where(c => c.TryGetProperty("Condition", out _)).SelectMany(c => Required(root, c.GetProperty("Condition").GetString()!))
            : [];
        return [condition, .. parts];
    }

    // The false branch is not guarded by the condition (it holds when the condition does not).
    private static IEnumerable<(JsonElement Node, ImmutableHashSet<string> Guards)> Branches(JsonElement node, ImmutableHashSet<string> guards) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("Fn::If", out var choice)
            ? Branches(choice[1], guards.Add(choice[0].GetString()!)).Concat(Branches(choice[2], guards))
            : [(node, guards)];

    private static List<JsonElement> Statements(JsonElement document) =>
        document.GetProperty("Statement") is { ValueKind: JsonValueKind.Array } list ? [.. list.EnumerateArray()] : [document.GetProperty("Statement")];

    private static IEnumerable<string?> Names(JsonElement statement) =>
        !statement.TryGetProperty("Action", out var action) ? []
        : action.ValueKind == JsonValueKind.Array ? action.EnumerateArray().Select(a => a.GetString())
        : [action.GetString()];
}
