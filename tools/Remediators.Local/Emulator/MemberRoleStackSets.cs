using System.Text.RegularExpressions;
using Remediators.Core.Aws;
using Remediators.Local.Template;

namespace Remediators.Local.Emulator;

/// <summary>
/// member-roles.yaml deployed into moto's member accounts as an organization deploys it: a self-managed StackSet from the hub
/// (moto really creates each instance's stack in its account, the only way to make the first role there). Shared by the
/// organization demo and the benchmarks.
/// </summary>
internal static partial class MemberRoleStackSets
{
    private static readonly AwsService CloudFormation = new("cloudformation", "CLOUDFORMATION", region => (new Uri($"https://cloudformation.{region}.amazonaws.com"), region));

    public static QueryProtocolClient Client(AwsClients hub, HttpClient http, string region, Uri endpoint) =>
        new(CloudFormation, "2010-05-15", region, hub.Credentials, http, RetryBackoff.Default, endpoint);

    /// <summary>
    /// member-roles.yaml with each statement scoped to the account's security groups, users, buckets or network ACLs on "*"
    /// instead: moto authorizes EC2, IAM and S3 calls against the resource "*" (or a bucket's bare name), which no ARN matches.
    /// Roles, trusts and actions stay as written.
    /// </summary>
    public static string MemberRolesForMoto(string repoRoot) =>
        ScopedResource().Replace(File.ReadAllText(Path.Combine(repoRoot, "member-roles.yaml")), "${indent}Resource: \"*\"");

    /// <summary>member-roles.yaml's parameters for a hub; moto checks no trust across accounts, so the hub roles' names need only be well formed.</summary>
    public static Dictionary<string, string> MemberRolesParameters(string repoRoot, string hubAccount, string hubRegion, string organizationId)
    {
        var parameters = new Dictionary<string, string>
        {
            ["HubAccountId"] = hubAccount, ["OrganizationId"] = organizationId,
            ["HubEventBusArn"] = $"arn:aws:events:{hubRegion}:{hubAccount}:event-bus/remediators-hub",
        };
        foreach (var function in SamTemplate.Load(Path.Combine(repoRoot, RepositoryRoot.TemplateFileName)).FunctionIds)
            parameters[$"{function}RoleName"] = $"remediators-{function}Role";
        return parameters;
    }

    /// <summary>Creates the StackSet and one instance per account in <paramref name="region"/>.</summary>
    public static async Task DeployAsync(QueryProtocolClient cloudFormation, string name, string template,
        IReadOnlyDictionary<string, string> parameters, IReadOnlyList<string> accounts, string region, CancellationToken cancellationToken)
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
        var instances = new List<KeyValuePair<string, string>> { new("StackSetName", name), new("Regions.member.1", region) };
        instances.AddRange(accounts.Select((account, i) => new KeyValuePair<string, string>($"Accounts.member.{i + 1}", account)));
        await cloudFormation.CallAsync("CreateStackInstances", instances, cancellationToken);
    }

    [GeneratedRegex(@"^(?<indent>[ ]+)Resource: !Sub arn:\$\{AWS::Partition\}:(ec2|iam|s3):[^\n]*$", RegexOptions.Multiline)]
    private static partial Regex ScopedResource();
}
