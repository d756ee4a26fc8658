using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Amazon.SecurityToken;
using Remediators.Core.Aws;
using Remediators.Core.Targets;
using Remediators.Local.Emulator;

namespace Remediators.Local.Demo;

/// <summary>A member account of the demo's organization, with credentials allowed everything there to seed and read it.</summary>
internal sealed record DemoMember(string Name, string Account, AwsClients Clients)
{
    /// <summary>The state table's heading for what the member holds in <paramref name="region"/>.</summary>
    public string Place(string region) => $"{Name} (account {Account}), {region}";

    /// <summary>The state table's heading for the member's IAM, which has no region.</summary>
    public string IamPlace => $"{Name} (account {Account}), IAM (global)";
}

/// <summary>
/// The demo's organization in moto: the demo account is the hub (management and security tooling account), with two
/// member accounts made by Organizations, each given member-roles.yaml by a self-managed StackSet from the hub (moto
/// really creates the stacks there). The demo seeds and reads the members through the OrganizationAccountAccessRole that
/// Organizations gives new accounts. The functions run in the hub's region, allowed the members and <see cref="SecondRegion"/>.
/// </summary>
internal sealed class DemoOrganization
{
    public const string SecondRegion = "eu-west-1";
    public const string AdministratorRole = "OrganizationAccountAccessRole";

    /// <summary>Not in the organization: the forged event names it.</summary>
    public const string Stranger = "444455556666";

    private DemoOrganization(string organizationId, IReadOnlyList<DemoMember> members)
    {
        OrganizationId = organizationId;
        Members = members;
    }

    public string OrganizationId { get; }

    public IReadOnlyList<DemoMember> Members { get; }

    public static IReadOnlyList<string> Regions => [DemoAccount.Region, SecondRegion];

    /// <summary>The state table's heading for what the hub holds in its own region.</summary>
    public static string HubPlace => $"hub (account {DemoAccount.AccountId}), {DemoAccount.Region}";

    /// <summary>The hub's template parameters that allow the members and the second region.</summary>
    public IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>
    {
        ["TargetAccounts"] = string.Join(',', Members.Select(m => m.Account)),
        ["TargetRegions"] = SecondRegion,
        ["OrganizationId"] = OrganizationId,
    };

    public static async Task<DemoOrganization> CreateAsync(DemoAccount hub, Action<string> progress, CancellationToken cancellationToken)
    {
        var organizations = new JsonProtocolClient(AwsService.Organizations, "AWSOrganizationsV20161128", DemoAccount.Region,
            hub.Clients.Credentials, hub.Http, RetryBackoff.Default, hub.Endpoint);
        var created = await organizations.CallAsync("CreateOrganization", new Dictionary<string, string> { ["FeatureSet"] = "ALL" },
            DemoOrganizationJson.Default.DictionaryStringString, DemoOrganizationJson.Default.JsonElement, cancellationToken);
        var organizationId = created.GetProperty("Organization").GetProperty("Id").GetString()!;
        var accounts = new List<(string Name, string Account)>();
        foreach (var name in new[] { "member-1", "member-2" })
        {
            var status = await organizations.CallAsync("CreateAccount", new Dictionary<string, string> { ["AccountName"] = name, ["Email"] = $"{name}@example.com" },
                DemoOrganizationJson.Default.DictionaryStringString, DemoOrganizationJson.Default.JsonElement, cancellationToken);
            accounts.Add((name, status.GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString()!));
        }
        progress($"organization {organizationId}: hub {DemoAccount.AccountId}, {string.Join(", ", accounts.Select(a => $"{a.Name} {a.Account}"))}");

        var cloudFormation = MemberRoleStackSets.Client(hub.Clients, hub.Http, DemoAccount.Region, hub.Endpoint);
        var memberAccounts = accounts.Select(a => a.Account).ToList();
        await MemberRoleStackSets.DeployAsync(cloudFormation, "remediators-member-roles", MemberRoleStackSets.MemberRolesForMoto(hub.RepoRoot),
            MemberRoleStackSets.MemberRolesParameters(hub.RepoRoot, DemoAccount.AccountId, DemoAccount.Region, organizationId), memberAccounts,
            DemoAccount.Region, cancellationToken);
        await MemberRoleStackSets.DeployAsync(cloudFormation, "demo-administrator-policy", AdministratorPolicyTemplate(), new Dictionary<string, string>(),
            memberAccounts, DemoAccount.Region, cancellationToken);
        progress("member-roles.yaml deployed to both members by a StackSet from the hub (ARN-scoped statements on \"*\" for moto)");

        var sts = hub.Clients.Sdk<AmazonSecurityTokenServiceClient, AmazonSecurityTokenServiceConfig>(
            DemoAccount.Region, (credentials, config) => new AmazonSecurityTokenServiceClient(credentials, config));
        var members = accounts.Select(a => new DemoMember(a.Name, a.Account, hub.Clients.WithCredentials(new MemberRoleCredentials(
            MemberRoles.RoleArn(new Target(a.Account, DemoAccount.Region), "", AdministratorRole), new StsRoleAssumer(sts), TimeProvider.System)))).ToList();
        return new DemoOrganization(organizationId, members);
    }

    /// <summary>
    /// The event as a member's forwarding rule delivers it to the hub: its envelope names the member account and region, and
    /// so do CloudTrail's recipientAccountId and awsRegion.
    /// </summary>
    public static string Forwarded(string eventJson, string account, string region)
    {
        var json = JsonNode.Parse(eventJson)!.AsObject();
        json["account"] = account;
        json["region"] = region;
        var detail = json["detail"]!.AsObject();
        foreach (var (field, value) in new[] { ("recipientAccountId", account), ("awsRegion", region) })
        {
            if (detail.ContainsKey(field))
                detail[field] = value;
        }
        return json.ToJsonString();
    }

    /// <summary>The administrator policy AWS attaches to the role; moto makes the role without it (and no one could write IAM there).</summary>
    private static string AdministratorPolicyTemplate() => new JsonObject
    {
        ["Resources"] = new JsonObject
        {
            ["Policy"] = new JsonObject
            {
                ["Type"] = "AWS::IAM::Policy",
                ["Properties"] = new JsonObject
                {
                    ["PolicyName"] = "administrator",
                    ["Roles"] = new JsonArray(AdministratorRole),
                    ["PolicyDocument"] = new JsonObject
                    {
                        ["Version"] = "2012-10-17",
                        ["Statement"] = new JsonArray(new JsonObject { ["Effect"] = "Allow", ["Action"] = "*", ["Resource"] = "*" }),
                    },
                },
            },
        },
    }.ToJsonString();
}

[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class DemoOrganizationJson : JsonSerializerContext;
