using System.Text.Json;
using System.Xml.Linq;
using Remediators.Core.Aws;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// The member stacks deploy as written into moto's CloudFormation (as the organization demo deploys them), here in moto's
/// account as a member of a hub in another account: the roles come out named, trusted and granted as the templates say.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class MemberStacksOnMotoTests(MotoServer moto)
{
    private const string HubAccount = "111111111111";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly AwsService CloudFormation = new("cloudformation", "CLOUDFORMATION", region => (new Uri($"https://cloudformation.{region}.amazonaws.com"), region));

    // A prefix of its own keeps these roles apart from every other test's in the shared moto account.
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..9] + "-";

    [Fact]
    public async Task MemberRoles_DeployInAMemberAccount_EachTrustingItsHubRole_AndGrantingItsTargetSideActions()
    {
        await CreateStackAsync(MotoServer.Region, "member-roles.yaml", RolesParameters());

        foreach (var function in DeclaredActions.FunctionIds)
        {
            var role = (await Iam("GetRole", ("RoleName", _prefix + function))).Child("Role")!;
            using var trust = JsonDocument.Parse(Uri.UnescapeDataString(role.Text("AssumeRolePolicyDocument")!));
            var statement = trust.RootElement.GetProperty("Statement")[0];
            Assert.Equal($"arn:aws:iam::{HubAccount}:role/hub-{function}Role-X", statement.GetProperty("Principal").GetProperty("AWS").GetString());
            Assert.Equal("o-example1234", statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:PrincipalOrgID").GetString());

            var granted = new List<string>();
            foreach (var name in (await Iam("ListRolePolicies", ("RoleName", _prefix + function))).Members("PolicyNames").Select(m => m.Value))
            {
                using var document = JsonDocument.Parse(Uri.UnescapeDataString((await Iam("GetRolePolicy", ("RoleName", _prefix + function), ("PolicyName", name))).Text("PolicyDocument")!));
                granted.AddRange(document.RootElement.GetProperty("Statement").EnumerateArray().SelectMany(s => s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)));
            }
            // Defaults: RevokerAlbWideRules=narrow and TlsOnlyBucketPolicy=true on, EbsDefaultKmsKeyArn and AttackerNaclDeny off.
            var on = DeclaredActions.TargetSideFeatures(function).Where(f => f.Condition is "RevokerAddsIngress" or "TlsOnlyBucketPolicyOn").SelectMany(f => f.Actions);
            Assert.Equal([.. DeclaredActions.TargetSideAlways(function).Concat(on).Order(StringComparer.Ordinal)], granted.Order(StringComparer.Ordinal));
        }
    }

    // Only a member's stack: in the hub account's other regions the blocker's findings rule takes its pattern as a JSON string
    // (a numeric bound), which AWS accepts and moto's CloudFormation cannot create.
    [Fact]
    public async Task Forwarding_DeploysInAMembersOtherRegion_WithTheCloudTrailAndConfigRulesOnly()
    {
        var resources = await CreateStackAsync("eu-west-1", "member-forwarding.yaml", new()
        {
            ["HubEventBusArn"] = $"arn:aws:events:{MotoServer.Region}:{HubAccount}:event-bus/remediators-hub", ["MemberRolePrefix"] = _prefix,
        });

        // moto lists a resource its condition left out as an entry without a logical id.
        Assert.Equal(
            ["EncryptionEnforcerBucketApiCallForward", "EncryptionEnforcerConfigNonCompliantForward", "EncryptionEnforcerEbsApiCallForward",
                "PublicIngressRevokerConfigNonCompliantForward", "PublicIngressRevokerIngressApiCallForward", "UnusedKeyDisablerConfigNonCompliantForward"],
            resources.Select(r => r.Text("LogicalResourceId")).OfType<string>().Order(StringComparer.Ordinal));
        Assert.All(resources.Where(r => r.Text("LogicalResourceId") is not null), r => Assert.Equal("AWS::Events::Rule", r.Text("ResourceType")));
    }

    private Dictionary<string, string> RolesParameters()
    {
        var parameters = new Dictionary<string, string>
        {
            ["HubAccountId"] = HubAccount, ["OrganizationId"] = "o-example1234", ["MemberRolePrefix"] = _prefix,
            ["HubEventBusArn"] = $"arn:aws:events:{MotoServer.Region}:{HubAccount}:event-bus/remediators-hub",
        };
        foreach (var function in DeclaredActions.FunctionIds)
            parameters[$"{function}RoleName"] = $"hub-{function}Role-X";
        return parameters;
    }

    private async Task<List<XElement>> CreateStackAsync(string region, string file, Dictionary<string, string> parameters)
    {
        var client = new QueryProtocolClient(CloudFormation, "2010-05-15", region, moto.Credentials, Http, RetryBackoff.Default);
        var name = $"{_prefix}{Path.GetFileNameWithoutExtension(file)}";
        var request = new List<KeyValuePair<string, string>>
        {
            new("StackName", name), new("TemplateBody", File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, file))), new("Capabilities.member.1", "CAPABILITY_NAMED_IAM"),
        };
        foreach (var ((key, value), index) in parameters.Select((p, i) => (p, i + 1)))
        {
            request.Add(new($"Parameters.member.{index}.ParameterKey", key));
            request.Add(new($"Parameters.member.{index}.ParameterValue", value));
        }
        await client.CallAsync("CreateStack", request, CancellationToken.None);

        var stack = (await client.CallAsync("DescribeStacks", [new("StackName", name)], CancellationToken.None)).Members("Stacks").Single();
        Assert.Equal("CREATE_COMPLETE", stack.Text("StackStatus"));
        return [.. (await client.CallAsync("DescribeStackResources", [new("StackName", name)], CancellationToken.None)).Members("StackResources")];
    }

    private Task<XElement> Iam(string action, params (string Name, string Value)[] parameters) =>
        moto.Clients.Iam(MotoServer.Region).CallAsync(action, parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)), CancellationToken.None);
}
