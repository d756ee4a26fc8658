using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.SecurityToken;
using Remediators.Core.Aws;
using Remediators.Core.Targets;

namespace Remediators.Bench.Harness;

/// <summary>
/// Member accounts of the bench's hub in moto, their roles deployed as an organization deploys them: member-roles.yaml as
/// written, through a self-managed StackSet from the hub (moto creates each instance's stack in its account). A second
/// StackSet adds a role allowed everything there, for seeding and reading state; the functions never use it.
/// Why StackSets (moto 5.2.1): keys from AssumeRole act in the role's account only if the role exists there, and nothing
/// but a stack deployed from another account can create the first role in an account. And moto authorizes every EC2 call
/// against the resource <c>*</c>, which a statement scoped to the account's security groups does not match, so the roles'
/// EC2 resources are widened to <c>*</c>; their actions stay exactly member-roles.yaml's.
/// </summary>
internal sealed partial class BenchMembers
{
    public const string OrganizationId = "o-bench12345";
    private const string SeedRoleName = "remediators-bench-seeder";
    private static readonly AwsService CloudFormation = new("cloudformation", "CLOUDFORMATION", region => (new Uri($"https://cloudformation.{region}.amazonaws.com"), region));

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
        var roles = Ec2ResourceArn().Replace(File.ReadAllText(Path.Combine(hub.RepoRoot, "member-roles.yaml")), "Resource: \"*\"");
        await members.DeployAsync("bench-member-roles", roles, RoleParameters(), cancellationToken);
        await members.DeployAsync("bench-seed-role", SeedRoleTemplate(), new Dictionary<string, string>(), cancellationToken);
        return members;
    }

    /// <summary>Clients in <paramref name="account"/> through its seeding role (straight to moto, so the proxy does not count them).</summary>
    public AwsClients SeedClients(string account) => _seedClients.GetOrAdd(account, a =>
        _hub.Clients.WithCredentials(new MemberRoleCredentials(
            MemberRoles.RoleArn(new Target(a, BenchAccount.Region), "", SeedRoleName), _assumer, TimeProvider.System)));

    private async Task DeployAsync(string name, string template, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var cloudFormation = new QueryProtocolClient(CloudFormation, "2010-05-15", BenchAccount.Region, _hub.Clients.Credentials, http, RetryBackoff.Default,
            _hub.MotoEndpoint);
        var request = new List<KeyValuePair<string, string>>
        {
            new("StackSetName", name), new("TemplateBody", template), new("Capabilities.member.1", "CAPABILITY_NAMED_IAM"),
        };
        foreach (var ((key, value), index) in parameters.Select((p, i) => (p, i + 1)))
        {
            request.Add(new($"Parameters.member.{index}.ParameterKey", key));
            request.Add(new($"Parameters.member.{index}.ParameterValue", value));
        }
        await cloudFormation.CallAsync("CreateStackSet", request, cancellationToken);
        await cloudFormation.CallAsync("CreateStackInstances",
            [new("StackSetName", name), new("Regions.member.1", BenchAccount.Region), .. Accounts.Select((a, i) => new KeyValuePair<string, string>($"Accounts.member.{i + 1}", a))],
            cancellationToken);
    }

    /// <summary>member-roles.yaml's parameters for this hub; the hub's role names only shape the trust, which moto does not check across accounts.</summary>
    private static Dictionary<string, string> RoleParameters()
    {
        var parameters = new Dictionary<string, string>
        {
            ["HubAccountId"] = BenchAccount.AccountId, ["OrganizationId"] = OrganizationId,
            ["HubEventBusArn"] = $"arn:aws:events:{BenchAccount.Region}:{BenchAccount.AccountId}:event-bus/remediators-hub",
        };
        foreach (var function in new[] { "PublicIngressRevoker", "UnusedKeyDisabler", "EncryptionEnforcer", "AttackerIpBlocker", "BlocklistPruner" })
            parameters[$"{function}RoleName"] = $"remediators-{function}Role";
        return parameters;
    }

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

    [GeneratedRegex(@"Resource: !Sub arn:\$\{AWS::Partition\}:ec2:\S+")]
    private static partial Regex Ec2ResourceArn();

    private static JsonObject Document(JsonObject statement) => new() { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) };
}
