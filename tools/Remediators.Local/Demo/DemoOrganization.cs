using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Amazon.SecurityToken;
using Remediators.Core.Aws;
using Remediators.Core.Targets;
using Remediators.Local.Template;

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
internal sealed partial class DemoOrganization
{
    public const string SecondRegion = "eu-west-1";
    public const string AdministratorRole = "OrganizationAccountAccessRole";

    /// <summary>Not in the organization: the forged event names it.</summary>
    public const string Stranger = "444455556666";

    private static readonly AwsService CloudFormation = new("cloudformation", "CLOUDFORMATION", region => (new Uri($"https://cloudformation.{region}.amazonaws.com"), region));

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

        var cloudFormation = new QueryProtocolClient(CloudFormation, "2010-05-15", DemoAccount.Region, hub.Clients.Credentials, hub.Http, RetryBackoff.Default, hub.Endpoint);
        var memberAccounts = accounts.Select(a => a.Account).ToList();
        await DeployStackSetAsync(cloudFormation, "remediators-member-roles",
            AuthorizableByMoto(File.ReadAllText(Path.Combine(hub.RepoRoot, "member-roles.yaml"))), MemberRolesParameters(hub.RepoRoot, organizationId), memberAccounts, cancellationToken);
        await DeployStackSetAsync(cloudFormation, "demo-administrator-policy", AdministratorPolicyTemplate(), [], memberAccounts, cancellationToken);
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

    /// <summary>
    /// member-roles.yaml with each statement scoped to this account's security groups, users, buckets or network ACLs on "*"
    /// instead: moto authorizes EC2, IAM and S3 calls against the resource "*" (or a bucket's bare name), which no ARN matches.
    /// Roles, trusts and actions stay as written.
    /// </summary>
    private static string AuthorizableByMoto(string template) => ScopedResource().Replace(template, "${indent}Resource: \"*\"");

    private static Dictionary<string, string> MemberRolesParameters(string repoRoot, string organizationId)
    {
        var parameters = new Dictionary<string, string>
        {
            ["HubAccountId"] = DemoAccount.AccountId, ["OrganizationId"] = organizationId,
            ["HubEventBusArn"] = $"arn:aws:events:{DemoAccount.Region}:{DemoAccount.AccountId}:event-bus/remediators-hub",
        };
        // moto checks no trust across accounts, so the hub functions' role names need only be well formed.
        foreach (var function in SamTemplate.Load(Path.Combine(repoRoot, RepositoryRoot.TemplateFileName)).FunctionIds)
            parameters[$"{function}RoleName"] = $"remediators-demo-{function}Role";
        return parameters;
    }

    private static async Task DeployStackSetAsync(QueryProtocolClient cloudFormation, string name, string template,
        Dictionary<string, string> parameters, IReadOnlyList<string> accounts, CancellationToken cancellationToken)
    {
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
        var instances = new List<KeyValuePair<string, string>> { new("StackSetName", name), new("Regions.member.1", DemoAccount.Region) };
        instances.AddRange(accounts.Select((account, i) => new KeyValuePair<string, string>($"Accounts.member.{i + 1}", account)));
        await cloudFormation.CallAsync("CreateStackInstances", instances, cancellationToken);
    }

    [GeneratedRegex(@"^(?<indent>[ ]+)Resource: !Sub arn:\$\{AWS::Partition\}:(ec2|iam|s3):[^\n]*$", RegexOptions.Multiline)]
    private static partial Regex ScopedResource();

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
