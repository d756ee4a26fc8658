using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.SecurityToken;
using Remediators.Core.Aws;
using Remediators.Core.Targets;
using Remediators.Local.Emulator;

namespace Remediators.Bench.Harness;

/// <summary>
/// Member accounts of the bench's hub in moto, their roles deployed as an organization deploys them: member-roles.yaml as
/// written, through a self-managed StackSet from the hub (moto creates each instance's stack in its account). A second
/// StackSet adds a role allowed everything there, for seeding and reading state; the functions never use it.
/// Why StackSets (moto 5.2.1): keys from AssumeRole act in the role's account only if the role exists there, and nothing
/// but a stack deployed from another account can create the first role in an account. And moto authorizes EC2, IAM and S3
/// calls against the resource <c>*</c>, so the roles' scoped resources are widened (<see cref="MemberRoleStackSets"/>);
/// their actions stay exactly member-roles.yaml's.
/// </summary>
internal sealed class BenchMembers
{
    public const string OrganizationId = "o-bench12345";
    private const string SeedRoleName = "remediators-bench-seeder";

    private readonly BenchAccount _hub;
    private readonly StsRoleAssumer _assumer;
    private readonly ConcurrentDictionary<string, AwsClients> _seedClients = new(StringComparer.Ordinal);

    private BenchMembers(BenchAccount hub, IReadOnlyList<string> accounts)
    {
        _hub = hub;
        Accounts = accounts;
        _assumer = new StsRoleAssumer(hub.Clients.Sdk<AmazonSecurityTokenServiceClient, AmazonSecurityTokenServiceConfig>(
            BenchAccount.Region, (credentials, config) => new AmazonSecurityTokenServiceClient(credentials, config)));
    }

    public IReadOnlyList<string> Accounts { get; }

    /// <summary><paramref name="count"/> member accounts (2000000000001, ...), each with member-roles.yaml and the seeding role.</summary>
    public static async Task<BenchMembers> CreateAsync(BenchAccount hub, int count, CancellationToken cancellationToken)
    {
        var accounts = Enumerable.Range(1, count).Select(i => (200_000_000_000L + i).ToString(CultureInfo.InvariantCulture)).ToList();
        var members = new BenchMembers(hub, accounts);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var cloudFormation = MemberRoleStackSets.Client(hub.Clients, http, BenchAccount.Region, hub.MotoEndpoint);
        await MemberRoleStackSets.DeployAsync(cloudFormation, "bench-member-roles", MemberRoleStackSets.MemberRolesForMoto(hub.RepoRoot),
            MemberRoleStackSets.MemberRolesParameters(hub.RepoRoot, BenchAccount.AccountId, BenchAccount.Region, OrganizationId), accounts, BenchAccount.Region, cancellationToken);
        await MemberRoleStackSets.DeployAsync(cloudFormation, "bench-seed-role", SeedRoleTemplate(), new Dictionary<string, string>(), accounts, BenchAccount.Region, cancellationToken);
        return members;
    }

    /// <summary>Clients in <paramref name="account"/> through its seeding role (straight to moto, so the proxy does not count them).</summary>
    public AwsClients SeedClients(string account) => _seedClients.GetOrAdd(account, a =>
        _hub.Clients.WithCredentials(new MemberRoleCredentials(
            MemberRoles.RoleArn(new Target(a, BenchAccount.Region), "", SeedRoleName), _assumer, TimeProvider.System)));

    // Its policy is a separate AWS::IAM::Policy: moto's auth cannot read a role's inline Policies made by its CloudFormation.
    private static string SeedRoleTemplate() => new JsonObject
    {
        ["Resources"] = new JsonObject
        {
            ["Role"] = new JsonObject
            {
                ["Type"] = "AWS::IAM::Role",
                ["Properties"] = new JsonObject
                {
                    ["RoleName"] = SeedRoleName,
                    ["AssumeRolePolicyDocument"] = Document(new JsonObject
                    {
                        ["Effect"] = "Allow", ["Action"] = "sts:AssumeRole", ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{BenchAccount.AccountId}:root" },
                    }),
                },
            },
            ["Policy"] = new JsonObject
            {
                ["Type"] = "AWS::IAM::Policy",
                ["Properties"] = new JsonObject
                {
                    ["PolicyName"] = "everything",
                    ["Roles"] = new JsonArray(new JsonObject { ["Ref"] = "Role" }),
                    ["PolicyDocument"] = Document(new JsonObject { ["Effect"] = "Allow", ["Action"] = "*", ["Resource"] = "*" }),
                },
            },
        },
    }.ToJsonString();

    private static JsonObject Document(JsonObject statement) => new() { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) };
}
