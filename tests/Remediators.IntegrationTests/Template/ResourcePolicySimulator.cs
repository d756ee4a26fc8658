using System.Text.Json;
using System.Text.RegularExpressions;

namespace Remediators.IntegrationTests.Template;

/// <summary>Who sends a request: an IAM role or user (by ARN), or an AWS service acting for a source resource.</summary>
public sealed record Caller(string? PrincipalArn, string? Service = null, string? SourceAccount = null, string? SourceArn = null)
{
    public static Caller Role(string arn) => new(arn);

    public static Caller AwsService(string service, string sourceAccount, string sourceArn) => new(null, service, sourceAccount, sourceArn);

    public string? ContextValue(string key) => key.ToLowerInvariant() switch
    {
        "aws:principalarn" => PrincipalArn,
        "aws:principalisawsservice" => Service is null ? "false" : "true",
        "aws:principalservicename" => Service,
        "aws:sourceaccount" => SourceAccount,
        "aws:sourcearn" => SourceArn,
        _ => null,
    };
}

/// <summary>The answer of a resource policy to one request, before any identity policy is considered.</summary>
public enum PolicyAnswer { ExplicitDeny, Allow, NoMatch }

/// <summary>
/// Evaluates a resource policy of the transformed template for one caller and action, the way IAM does: an explicit Deny wins,
/// then an Allow. Intrinsics are resolved with the stack in <see cref="Account"/>; a role's <c>GetAtt Arn</c> becomes
/// <c>arn:aws:iam::&lt;account&gt;:role/&lt;logical id&gt;</c>, so callers name roles the same way.
/// Only the condition operators these policies use are known; any other fails the test rather than being guessed.
/// </summary>
public sealed class ResourcePolicySimulator(TransformedTemplate template)
{
    public const string Account = "123456789012";

    public static string RoleArn(string logicalId) => $"arn:aws:iam::{Account}:role/{logicalId}";

    public PolicyAnswer Evaluate(JsonElement policyDocument, string action, Caller caller)
    {
        var matching = Statements(policyDocument).Where(s => Names(s, "Action").Contains(action) && PrincipalMatches(s, caller) && ConditionHolds(s, caller)).ToList();
        return matching.Any(s => s.GetProperty("Effect").GetString() == "Deny") ? PolicyAnswer.ExplicitDeny
            : matching.Any(s => s.GetProperty("Effect").GetString() == "Allow") ? PolicyAnswer.Allow
            : PolicyAnswer.NoMatch;
    }

    private static IEnumerable<JsonElement> Statements(JsonElement document) => document.GetProperty("Statement") switch
    {
        { ValueKind: JsonValueKind.Array } list => list.EnumerateArray(),
        var single => [single],
    };

    private IReadOnlyList<string> Names(JsonElement owner, string property) =>
        !owner.TryGetProperty(property, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(Resolve)]
        : [Resolve(value)];

    private bool PrincipalMatches(JsonElement statement, Caller caller)
    {
        var principal = statement.GetProperty("Principal");
        if (principal.ValueKind == JsonValueKind.String)
            return principal.GetString() == "*";
        var roles = Names(principal, "AWS");
        var services = Names(principal, "Service");
        return caller.Service is null
            ? roles.Contains("*") || (caller.PrincipalArn is { } arn && roles.Contains(arn))
            : services.Contains(caller.Service);
    }

    private bool ConditionHolds(JsonElement statement, Caller caller) =>
        !statement.TryGetProperty("Condition", out var condition)
        || condition.EnumerateObject().All(op => op.Value.EnumerateObject().All(key => Test(op.Name, caller.ContextValue(key.Name), Values(key.Value))));

    private IReadOnlyList<string> Values(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(Resolve)] : [Resolve(value)];

    // A negated operator holds when the key is absent; a positive one does not.
    private static bool Test(string op, string? actual, IReadOnlyList<string> expected) => op switch
    {
        "StringEquals" or "ArnEquals" or "Bool" => actual is not null && expected.Contains(actual, StringComparer.Ordinal),
        "StringNotEquals" or "ArnNotEquals" => actual is null || !expected.Contains(actual, StringComparer.Ordinal),
        "ArnLike" or "StringLike" => actual is not null && expected.Any(pattern => Like(actual, pattern)),
        "ArnNotLike" or "StringNotLike" => actual is null || !expected.Any(pattern => Like(actual, pattern)),
        _ => throw new NotSupportedException($"condition operator {op} is not simulated"),
    };

    private static bool Like(string value, string pattern) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");

    private string Resolve(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString()!;
        if (Intrinsics.Ref(value) is { } name)
            return Pseudo(name) ?? $"ref:{name}";
        if (value.TryGetProperty("Fn::GetAtt", out var getAtt))
        {
            var id = getAtt[0].GetString()!;
            return template.IsOfType(id, "AWS::IAM::Role") ? RoleArn(id) : $"getatt:{id}.{getAtt[1].GetString()}";
        }
        if (value.TryGetProperty("Fn::Sub", out var sub) && sub.ValueKind == JsonValueKind.String)
            return Regex.Replace(sub.GetString()!, @"\$\{([^}]+)\}", m => Pseudo(m.Groups[1].Value) ?? $"ref:{m.Groups[1].Value}");
        throw new NotSupportedException($"cannot resolve {value}");
    }

    private static string? Pseudo(string name) => name switch
    {
        "AWS::AccountId" => Account,
        "AWS::Partition" => "aws",
        "AWS::Region" => "us-east-1",
        "AWS::StackName" => "remediators",
        _ => null,
    };
}
