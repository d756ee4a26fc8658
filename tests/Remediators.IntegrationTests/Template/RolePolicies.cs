using System.Text.Json;
using System.Text.Json.Nodes;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// What a function's role may do once CloudFormation has chosen every <c>Fn::If</c>: its inline policies, the template's
/// managed policies it attaches (AWS managed ones, such as basic logging, are outside the template and not read) and the
/// AWS::IAM::Policy resources naming it while their Condition holds.
/// Conditions take the value forced for them, else follow from the parameters given, else their defaults. An action is granted when an Allow
/// names it on some resource and no Deny names it: a Deny, even a conditional one, can refuse the function its own call.
/// </summary>
public sealed class RolePolicies(JsonElement root, IReadOnlyDictionary<string, bool> forced, IReadOnlyDictionary<string, string>? parameters = null)
{
    /// <param name="ConditionKeys">The keys its IAM Condition tests, under any operator.</param>
    public sealed record Statement(
        string Effect, IReadOnlyList<string> Actions, bool NegatesAction, IReadOnlyList<string> Resources, bool NegatesResource, IReadOnlyList<string> ConditionKeys);

    public IReadOnlySet<string> GrantedActions(string functionId) => GrantedBy([.. Statements(functionId)]);

    /// <summary>What a role of the template grants, by the role's logical id (the member roles, which no function names).</summary>
    public IReadOnlySet<string> GrantedActionsOfRole(string roleId) => GrantedBy([.. RoleStatements(roleId)]);

    private static HashSet<string> GrantedBy(List<Statement> statements)
    {
        var allowed = statements.Where(s => s.Effect == "Allow" && !s.NegatesAction && s.Resources.Count > 0).SelectMany(s => s.Actions);
        return allowed.Where(action => !statements.Any(s => s.Effect == "Deny" && Denies(s, action))).ToHashSet(StringComparer.Ordinal);
    }

    public IEnumerable<Statement> Statements(string functionId)
    {
        var role = Intrinsics.GetAtt(Properties(functionId).GetProperty("Role"), "Arn")
            ?? throw new InvalidOperationException($"{functionId}: Role is not a GetAtt of a role in the template.");
        return RoleStatements(role);
    }

    public IEnumerable<Statement> RoleStatements(string role)
    {
        var properties = (JsonObject)Resolve(Properties(role))!;
        var inline = (properties["Policies"] as JsonArray ?? []).Select(p => p!["PolicyDocument"]!);
        var managed = (properties["ManagedPolicyArns"] as JsonArray ?? [])
            .Select(arn => arn is JsonObject reference && reference["Ref"]?.GetValue<string>() is { } id ? Resolve(Properties(id))!["PolicyDocument"] : null)
            .OfType<JsonNode>();
        var attached = StatementGuards.AttachedPolicies(root, role).Where(p => p.Condition is null || IsTrue(p.Condition))
            .Select(p => Resolve(p.Properties)!["PolicyDocument"]!);
        return inline.Concat(managed).Concat(attached).SelectMany(document => AsList(document["Statement"])).Select(ToStatement);
    }

    public bool IsTrue(string condition) =>
        forced.TryGetValue(condition, out var value) ? value
        : root.GetProperty("Conditions").TryGetProperty(condition, out var definition) ? Evaluate(definition)
        : throw new InvalidOperationException($"template.yaml has no condition {condition}.");

    /// <summary>The parameters <paramref name="condition"/> reads, through the conditions it names.</summary>
    public IEnumerable<string> ParametersOf(string condition) => ReferencedParameters(root.GetProperty("Conditions").GetProperty(condition)).Distinct();

    private IEnumerable<string> ReferencedParameters(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object when Intrinsics.Ref(value) is { } name => name.StartsWith("AWS::", StringComparison.Ordinal) ? [] : [name],
        JsonValueKind.Object when value.TryGetProperty("Condition", out var named) => ParametersOf(named.GetString()!),
        JsonValueKind.Object => value.EnumerateObject().SelectMany(p => ReferencedParameters(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().SelectMany(ReferencedParameters),
        _ => [],
    };

    private static bool Denies(Statement deny, string action) => deny.NegatesAction ? !deny.Actions.Contains(action) : deny.Actions.Contains(action);

    private static Statement ToStatement(JsonNode? node)
    {
        var statement = (JsonObject)node!;
        var action = statement["Action"] ?? statement["NotAction"];
        var resource = statement["Resource"] ?? statement["NotResource"];
        var conditionKeys = (statement["Condition"] as JsonObject ?? []).SelectMany(op => (op.Value as JsonObject ?? []).Select(key => key.Key));
        return new Statement(
            statement["Effect"]!.GetValue<string>(), [.. AsList(action).Select(a => a!.GetValue<string>())], statement.ContainsKey("NotAction"),
            [.. AsList(resource).Select(r => r is JsonValue value ? value.GetValue<string>() : r!.ToJsonString())], statement.ContainsKey("NotResource"),
            [.. conditionKeys]);
    }

    private static List<JsonNode?> AsList(JsonNode? node) => node switch
    {
        null => [],
        JsonArray list => [.. list],
        _ => [node],
    };

    private JsonElement Properties(string logicalId) => root.GetProperty("Resources").GetProperty(logicalId).GetProperty("Properties");

    /// <summary>The value with every <c>Fn::If</c> chosen; null where it is <c>AWS::NoValue</c>, which also drops it from lists and objects.</summary>
    private JsonNode? Resolve(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.TryGetProperty("Fn::If", out var choice):
                return Resolve(IsTrue(choice[0].GetString()!) ? choice[1] : choice[2]);
            case JsonValueKind.Object when Intrinsics.Ref(value) == "AWS::NoValue":
                return null;
            case JsonValueKind.Object:
                var result = new JsonObject();
                foreach (var property in value.EnumerateObject())
                {
                    if (Resolve(property.Value) is { } resolved)
                        result[property.Name] = resolved;
                }
                return result;
            case JsonValueKind.Array:
                return new JsonArray([.. value.EnumerateArray().Select(Resolve).OfType<JsonNode>()]);
            default:
                return JsonNode.Parse(value.GetRawText());
        }
    }

    private bool Evaluate(JsonElement condition)
    {
        var function = condition.EnumerateObject().Single();
        return function.Name switch
        {
            "Fn::Equals" => Value(function.Value[0]) == Value(function.Value[1]),
            "Fn::Not" => !Evaluate(function.Value[0]),
            "Fn::And" => function.Value.EnumerateArray().All(Evaluate),
            "Fn::Or" => function.Value.EnumerateArray().Any(Evaluate),
            "Condition" => IsTrue(function.Value.GetString()!),
            _ => throw new NotSupportedException($"condition function {function.Name}"),
        };
    }

    private string Value(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()!
        : Intrinsics.Ref(value) is "AWS::Region" ? "us-east-1"
        : Intrinsics.Ref(value) is "AWS::AccountId" ? "123456789012"
        : Intrinsics.Ref(value) is { } parameter ? parameters?.GetValueOrDefault(parameter) ?? root.GetProperty("Parameters").GetProperty(parameter).GetProperty("Default").ToString()
        // The part of an ARN parameter member-forwarding.yaml compares: !Select [n, !Split [":", !Ref Arn]].
        : Intrinsics.Property(value, "Fn::Select") is { } select && Intrinsics.Property(select[1], "Fn::Split") is { } split
            ? Value(split[1]).Split(split[0].GetString()!)[int.Parse(select[0].ToString(), System.Globalization.CultureInfo.InvariantCulture)]
        : throw new NotSupportedException($"condition value {value}");
}
