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
        return inline.Concat(managed)
            .SelectMany(d => Statements(d.Document).SelectMany(s => Branches(s, d.Guards)))
            .Where(s => s.Node.ValueKind == JsonValueKind.Object && Names(s.Node).Contains(action))
            .Select(s => (IReadOnlySet<string>)s.Guards);
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
