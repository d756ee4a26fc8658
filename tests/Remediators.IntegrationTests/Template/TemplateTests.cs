using System.Diagnostics;
using Remediators.Core.Notifications;
using Remediators.IntegrationTests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace Remediators.IntegrationTests.Template;

public sealed class TemplateTests
{
    // Lambda delivers outcome records to the destination queues with the function's own role (functions with destinations only:
    // an SQS-triggered function has none, and SAM grants its queue polling itself).
    private const string DestinationAction = "sqs:SendMessage";

    private static readonly YamlMappingNode Root = LoadTemplate();

    public static TheoryData<string, string[]> ActionsEachFunctionCalls => new()
    {
        {
            "PublicIngressRevoker",
            [.. global::PublicIngressRevoker.SecurityGroupGateway.IamActions, .. global::PublicIngressRevoker.SecurityGroupGateway.FeatureIamActions.SelectMany(f => f.Actions)]
        },
        { "UnusedKeyDisabler", global::UnusedKeyDisabler.AccessKeyGateway.IamActions },
        { "AttackerIpBlocker", global::AttackerIpBlocker.BlocklistGateway.IamActions },
        { "BlocklistPruner", global::BlocklistPruner.PrunerGateway.IamActions },
        { "EncryptionEnforcer", [.. global::EncryptionEnforcer.BucketGateway.IamActions, .. global::EncryptionEnforcer.EbsGateway.IamActions] },
    };

    [Theory]
    [MemberData(nameof(ActionsEachFunctionCalls))]
    public void Policy_GrantsExactlyTheActionsTheFunctionCalls(string logicalId, string[] actionsCalled)
    {
        var granted = TemplatePolicies.GrantedActions(logicalId).ToHashSet(StringComparer.Ordinal);
        string[] expected = [.. actionsCalled, .. OutcomePublishingSettings.IamActions, .. HasDestinations(logicalId) ? [DestinationAction] : Array.Empty<string>()];

        Assert.Equal([.. expected.Order(StringComparer.Ordinal)], granted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryFunction_IsCoveredByThePolicyCheck()
    {
        Assert.Equal(FunctionIds().Order(StringComparer.Ordinal), ActionsEachFunctionCalls.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NoPolicy_GrantsAWildcardAction()
    {
        var wildcards = FunctionIds().SelectMany(id => TemplatePolicies.GrantedActions(id).Where(a => a.Contains('*', StringComparison.Ordinal)).Select(a => $"{id}: {a}"));

        Assert.Empty(wildcards);
    }

    [Fact]
    public void EveryParameter_HasADescriptionAndADefault()
    {
        var parameters = (YamlMappingNode)Root.Children[new YamlScalarNode("Parameters")];

        var incomplete = parameters.Children
            .Where(p => Scalar(p.Value, "Description") is null or "" || !((YamlMappingNode)p.Value).Children.ContainsKey(new YamlScalarNode("Default")))
            .Select(p => ((YamlScalarNode)p.Key).Value);

        Assert.Empty(incomplete);
    }

    [Fact]
    public void CfnLint_ReportsNothing()
    {
        var lint = Process.Start(new ProcessStartInfo("cfn-lint", ["template.yaml"])
        {
            WorkingDirectory = LocalInvoke.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = lint.StandardOutput.ReadToEnd() + lint.StandardError.ReadToEnd();
        lint.WaitForExit();

        Assert.True(lint.ExitCode == 0, output);
    }

    private static YamlMappingNode Resources => (YamlMappingNode)Root.Children[new YamlScalarNode("Resources")];

    private static IEnumerable<string> FunctionIds() =>
        Resources.Children.Where(r => Scalar(r.Value, "Type") == "AWS::Serverless::Function").Select(r => ((YamlScalarNode)r.Key).Value!);

    private static bool HasDestinations(string logicalId) =>
        ((YamlMappingNode)((YamlMappingNode)Resources.Children[new YamlScalarNode(logicalId)]).Children[new YamlScalarNode("Properties")])
            .Children.TryGetValue(new YamlScalarNode("EventInvokeConfig"), out var config) &&
        ((YamlMappingNode)config).Children.ContainsKey(new YamlScalarNode("DestinationConfig"));

    private static string? Scalar(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static YamlMappingNode LoadTemplate()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "template.yaml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
