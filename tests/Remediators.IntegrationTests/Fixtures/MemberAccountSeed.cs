using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Remediators.Core.Aws;
using Remediators.Core.Targets;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>A member account in moto, with credentials allowed everything there to seed and read its state.</summary>
public sealed record MemberAccount(string Account, AwsClients Clients);

/// <summary>
/// Member accounts and their roles in moto, made as a real organization makes them.
/// How (moto 5.2.1, signature checking on): moto's STS AssumeRole into <c>arn:aws:iam::&lt;other&gt;:role/x</c> returns keys that
/// act in &lt;other&gt;, whether or not the role exists, and checks no trust policy across accounts. But a call signed with those
/// keys reads the role's policies, so the role must exist there (else moto answers 500), and no one can write IAM in an account
/// where no role exists yet. So roles are deployed from the hub through a self-managed CloudFormation StackSet instance in the
/// member account (moto really creates that stack there). Their policies are separate <c>AWS::IAM::Policy</c> resources: an
/// inline <c>Policies</c> list on a role made by moto's CloudFormation is stored in a shape its auth cannot read (500 again).
/// A missing member role cannot be shown by AssumeRole itself (moto issues keys for it); AWS's answer, AccessDenied, comes from
/// a hub identity denied sts:AssumeRole on the role (<see cref="CreateHubIdentityDeniedAssumeRoleAsync"/>).
/// </summary>
public static class MemberAccountSeed
{
    public const string SeedRoleName = "remediators-test-seeder";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly AwsService CloudFormation = new("cloudformation", "CLOUDFORMATION", region => (new Uri($"https://cloudformation.{region}.amazonaws.com"), region));
    private static int _stackSets;

    /// <summary>A member account (any 12 digits: moto makes accounts on first use) with a seeding role allowed everything there.</summary>
    public static async Task<MemberAccount> MemberAccountAsync(this MotoServer moto, string account)
    {
        await moto.CreateMemberRoleAsync(account, SeedRoleName, ["*"]);
        var credentials = new MemberRoleCredentials(MemberRoles.RoleArn(new Target(account, MotoServer.Region), "", SeedRoleName), moto.RoleAssumer(), TimeProvider.System);
        return new MemberAccount(account, moto.Clients.WithCredentials(credentials));
    }

    /// <summary>Deploys a role named <paramref name="roleName"/> into <paramref name="account"/>, trusted by the hub's signing identity, allowed <paramref name="actions"/>.</summary>
    public static async Task CreateMemberRoleAsync(this MotoServer moto, string account, string roleName, IReadOnlyList<string> actions)
    {
        var template = new JsonObject
        {
            ["Resources"] = new JsonObject
            {
                ["Role"] = new JsonObject
                {
                    ["Type"] = "AWS::IAM::Role",
                    ["Properties"] = new JsonObject
                    {
                        ["RoleName"] = roleName,
                        ["AssumeRolePolicyDocument"] = Document(new JsonObject
                        {
                            ["Effect"] = "Allow", ["Action"] = "sts:AssumeRole",
                            ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{MotoServer.AccountId}:root" },
                        }),
                    },
                },
                ["Policy"] = new JsonObject
                {
                    ["Type"] = "AWS::IAM::Policy",
                    ["Properties"] = new JsonObject
                    {
                        ["PolicyName"] = "actions",
                        ["Roles"] = new JsonArray(new JsonObject { ["Ref"] = "Role" }),
                        ["PolicyDocument"] = Document(new JsonObject { ["Effect"] = "Allow", ["Action"] = new JsonArray([.. actions.Select(a => JsonValue.Create(a))]), ["Resource"] = "*" }),
                    },
                },
            },
        };
        var cloudFormation = new QueryProtocolClient(CloudFormation, "2010-05-15", MotoServer.Region, moto.Credentials, Http, RetryBackoff.Default);
        var name = $"member-role-{Interlocked.Increment(ref _stackSets)}-{Guid.NewGuid():N}"[..40];
        await cloudFormation.CallAsync("CreateStackSet",
            [new("StackSetName", name), new("TemplateBody", template.ToJsonString()), new("Capabilities.member.1", "CAPABILITY_NAMED_IAM")], CancellationToken.None);
        await cloudFormation.CallAsync("CreateStackInstances",
            [new("StackSetName", name), new("Accounts.member.1", account), new("Regions.member.1", MotoServer.Region)], CancellationToken.None);
    }

    /// <summary>AssumeRole with the hub's signing identity, as the functions make it.</summary>
    public static StsRoleAssumer RoleAssumer(this MotoServer moto, AwsClients? hub = null) =>
        new((hub ?? moto.Clients).Sdk<AmazonSecurityTokenServiceClient, AmazonSecurityTokenServiceConfig>(
            MotoServer.Region, (credentials, config) => new AmazonSecurityTokenServiceClient(credentials, config)));

    /// <summary>A hub identity allowed everything but assuming <paramref name="roleArn"/>: AWS's answer to a role that is missing or does not trust it.</summary>
    public static async Task<BasicAWSCredentials> CreateHubIdentityDeniedAssumeRoleAsync(this MotoServer moto, string userName, string roleArn)
    {
        var iam = moto.Clients.Iam(MotoServer.Region);
        await iam.CallAsync("CreateUser", [new("UserName", userName)], CancellationToken.None);
        await iam.CallAsync("PutUserPolicy",
        [
            new("UserName", userName), new("PolicyName", "all-but-the-role"),
            new("PolicyDocument", Document(
                new JsonObject { ["Effect"] = "Allow", ["Action"] = "*", ["Resource"] = "*" },
                new JsonObject { ["Effect"] = "Deny", ["Action"] = "sts:AssumeRole", ["Resource"] = roleArn }).ToJsonString()),
        ], CancellationToken.None);
        var key = (await iam.CallAsync("CreateAccessKey", [new("UserName", userName)], CancellationToken.None)).Child("AccessKey")!;
        return new BasicAWSCredentials(key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
    }

    /// <summary>The hub's organization (created once; moto keeps one per management account), and its id.</summary>
    public static async Task<string> OrganizationAsync(this MotoServer moto)
    {
        var organizations = Organizations(moto);
        try
        {
            var existing = await organizations.CallAsync("DescribeOrganization", new Dictionary<string, string>(), SeedJson.Default.DictionaryStringString, SeedJson.Default.JsonElement, CancellationToken.None);
            return existing.GetProperty("Organization").GetProperty("Id").GetString()!;
        }
        catch (AwsServiceException error) when (error.ErrorCode == "AWSOrganizationsNotInUseException")
        {
            var created = await organizations.CallAsync("CreateOrganization", new Dictionary<string, string> { ["FeatureSet"] = "ALL" },
                SeedJson.Default.DictionaryStringString, SeedJson.Default.JsonElement, CancellationToken.None);
            return created.GetProperty("Organization").GetProperty("Id").GetString()!;
        }
    }

    /// <summary>A new account in the hub's organization (moto creates it at once), and its id.</summary>
    public static async Task<string> CreateOrganizationAccountAsync(this MotoServer moto, string name)
    {
        await moto.OrganizationAsync();
        var status = await Organizations(moto).CallAsync("CreateAccount", new Dictionary<string, string> { ["AccountName"] = name, ["Email"] = $"{name}@example.com" },
            SeedJson.Default.DictionaryStringString, SeedJson.Default.JsonElement, CancellationToken.None);
        return status.GetProperty("CreateAccountStatus").GetProperty("AccountId").GetString()!;
    }

    private static JsonProtocolClient Organizations(MotoServer moto) =>
        new(AwsService.Organizations, "AWSOrganizationsV20161128", MotoServer.Region, moto.Credentials, Http, RetryBackoff.Default);

    private static JsonObject Document(params JsonObject[] statements) =>
        new() { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray([.. statements]) };
}

[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class SeedJson : JsonSerializerContext;
