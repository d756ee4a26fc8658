using System.Text.Json.Nodes;
using Remediators.Core.Targets;
using Remediators.IntegrationTests.Template;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>What a hub function run with member targets needs: its target settings, and events as members forward them.</summary>
public static class MemberTargets
{
    /// <summary>A fresh account id, so tests sharing moto share no member account.</summary>
    public static string NewAccount() => $"3{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}";

    /// <summary>
    /// TARGET_* for the function process. Given both as process variables and as overrides of template variables (which win when
    /// template.yaml declares them), so a test reads the same before and after the template passes them from its parameters.
    /// </summary>
    public static (Dictionary<string, string> Environment, Dictionary<string, string> Overrides) Settings(
        string accounts, string regions = "", string organizationId = "", string rolePrefix = TargetSettings.DefaultMemberRolePrefix)
    {
        var variables = new Dictionary<string, string>
        {
            [TargetSettings.TargetAccountsVariable] = accounts,
            [TargetSettings.TargetRegionsVariable] = regions,
            [TargetSettings.OrganizationIdVariable] = organizationId,
            [TargetSettings.MemberRolePrefixVariable] = rolePrefix,
        };
        return (variables, new Dictionary<string, string>(variables));
    }

    /// <summary>
    /// The event as a member's forwarding rule delivers it to the hub: its envelope names the member account and region, and so
    /// do CloudTrail's recipientAccountId / awsRegion and Config's awsAccountId / awsRegion when the event has them.
    /// </summary>
    public static string Forwarded(string eventJson, string account, string region)
    {
        var json = JsonNode.Parse(eventJson)!.AsObject();
        json["account"] = account;
        json["region"] = region;
        var detail = json["detail"]!.AsObject();
        foreach (var (field, value) in new[] { ("recipientAccountId", account), ("awsAccountId", account), ("awsRegion", region) })
        {
            if (detail.ContainsKey(field))
                detail[field] = value;
        }
        return json.ToJsonString();
    }

    /// <summary>The event with one field of its detail set to <paramref name="value"/>: a forwarded event whose detail disagrees with its envelope.</summary>
    public static string WithDetail(string eventJson, string field, string value)
    {
        var json = JsonNode.Parse(eventJson)!.AsObject();
        json["detail"]![field] = value;
        return json.ToJsonString();
    }

    /// <summary>
    /// Denies the hub's signing identity sts:AssumeRole on the one role <paramref name="roleArn"/>: AWS's answer when that account's
    /// role is missing, while the same role in other accounts stays reachable.
    /// </summary>
    public static Task DenyAssumingRoleAsync(this MotoServer moto, string roleArn) =>
        moto.Clients.Iam(MotoServer.Region).CallAsync("PutUserPolicy",
        [
            new("UserName", MotoServer.SigningUser), new("PolicyName", $"deny-{roleArn.Split(':')[4]}-{roleArn.Split('/')[^1]}"),
            new("PolicyDocument", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"{{roleArn}}"}]}"""),
        ], CancellationToken.None);

    /// <summary>
    /// The recorded operations that are neither the one AssumeRole nor reads <paramref name="function"/> declares. Query and JSON
    /// protocols name their operation, so it is checked against the declared reads; a REST call (S3) counts as a read only as a GET or HEAD.
    /// </summary>
    public static IReadOnlyList<string> NotDeclaredReads(string function, IEnumerable<string> operations)
    {
        var reads = DeclaredActions.All(function).Where(DeclaredActions.IsRead).Select(a => a.Split(':')[1]).ToHashSet(StringComparer.Ordinal);
        return [.. operations.Where(o => o != "AssumeRole" && !reads.Contains(o)
            && !o.StartsWith("GET /", StringComparison.Ordinal) && !o.StartsWith("HEAD /", StringComparison.Ordinal))];
    }

    /// <summary>
    /// Denies the hub's signing identity sts:AssumeRole on roles named <paramref name="rolePrefix"/>*: AWS's answer to a member
    /// role that is missing (moto issues keys for any role name; see <see cref="MemberAccountSeed"/>). Use a prefix no other test uses.
    /// </summary>
    public static Task DenyAssumingRolesAsync(this MotoServer moto, string rolePrefix) =>
        moto.Clients.Iam(MotoServer.Region).CallAsync("PutUserPolicy",
        [
            new("UserName", MotoServer.SigningUser), new("PolicyName", $"deny-{rolePrefix}roles"),
            new("PolicyDocument", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/{{rolePrefix}}*"}]}"""),
        ], CancellationToken.None);

    /// <summary>
    /// Deploys <paramref name="function"/>'s member role (<c>remediators-&lt;function&gt;</c>) into <paramref name="account"/>, allowed
    /// only what the function declares it calls there (<see cref="DeclaredActions.TargetSideAlways"/>, with the target-side actions of
    /// the features under <paramref name="conditions"/>). moto's IAM auth checks every call the role's keys sign against that
    /// policy, so a test passing through this role shows the declared actions suffice.
    /// </summary>
    public static Task CreateDeclaredMemberRoleAsync(this MotoServer moto, string account, string function, params string[] conditions)
    {
        var unknown = conditions.Except(DeclaredActions.TargetSideFeatures(function).Select(f => f.Condition)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"{function} declares no target-side feature under {string.Join(", ", unknown)}", nameof(conditions));
        var declared = DeclaredActions.TargetSideAlways(function)
            .Concat(DeclaredActions.TargetSideFeatures(function).Where(f => conditions.Contains(f.Condition)).SelectMany(f => f.Actions));
        return moto.CreateMemberRoleAsync(account, $"{TargetSettings.DefaultMemberRolePrefix}{function}",
            [.. declared.SelectMany(a => MotoNames.TryGetValue(a, out var motoName) ? [a, motoName] : new[] { a }).Distinct().Order(StringComparer.Ordinal)]);
    }

    // moto 5.2.1's S3 authorizer knows no ?encryption subresource, so it checks these calls as the bucket's default GET and PUT.
    private static readonly Dictionary<string, string> MotoNames = new(StringComparer.Ordinal)
    {
        ["s3:GetEncryptionConfiguration"] = "s3:ListBucket",
        ["s3:PutEncryptionConfiguration"] = "s3:CreateBucket",
    };

    /// <summary>
    /// How a target whose member role cannot be assumed ends: the invocation fails once its Failed outcome is logged, naming
    /// the member account, the role and the stack to deploy.
    /// </summary>
    public static void AssertRoleUnreachable(FunctionAnswer answer, string account, string roleArn)
    {
        Assert.False(answer.Answered);
        var outcome = answer.LoggedOutcome;
        Assert.Equal(("Failed", account), (outcome.GetProperty("status").GetString(), outcome.GetProperty("account").GetString()));
        var reason = outcome.GetProperty("reason").GetString();
        Assert.Contains($"could not assume {roleArn} in account {account}", reason, StringComparison.Ordinal);
        Assert.Contains($"Deploy member-roles.yaml in account {account}", reason, StringComparison.Ordinal);
    }
}
