using Remediators.IntegrationTests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace Remediators.IntegrationTests.PublicIngressRevoker;

/// <summary>The revoker may add ingress only while a feature needs it (narrowing wide ALB rules, or trusted networks).</summary>
public sealed class RevokerPolicyTests
{
    private static readonly YamlMappingNode Root = Load();

    [Fact]
    public void EachFeatureAction_IsGrantedOnlyUnderItsCondition()
    {
        var policies = (YamlSequenceNode)Node(Root, "Resources", "PublicIngressRevoker", "Properties", "Policies");
        var statements = policies.OfType<YamlMappingNode>().SelectMany(p => (YamlSequenceNode)p["Statement"]).ToList();

        foreach (var feature in global::PublicIngressRevoker.SecurityGroupGateway.FeatureIamActions)
            foreach (var action in feature.Actions)
            {
                var unconditional = statements.OfType<YamlMappingNode>().Where(s => Actions(s).Contains(action));
                var conditional = statements.OfType<YamlSequenceNode>().Where(s => s.Tag.Value == "!If" && s.Children.OfType<YamlMappingNode>().Any(m => Actions(m).Contains(action)));
                Assert.Empty(unconditional);
                Assert.Equal(feature.Condition, ((YamlScalarNode)Assert.Single(conditional).Children[0]).Value);
            }
    }

    [Fact]
    public void AddsIngressCondition_HoldsForNarrowingOrTrustedCidrs()
    {
        var condition = Node(Root, "Conditions", "RevokerAddsIngress").ToString();

        Assert.Contains("RevokerAlbWideRules", condition, StringComparison.Ordinal);
        Assert.Contains("narrow", condition, StringComparison.Ordinal);
        Assert.Contains("TrustedCidrs", condition, StringComparison.Ordinal);
    }

    private static string[] Actions(YamlMappingNode statement) => statement["Action"] switch
    {
        YamlSequenceNode list => [.. list.Cast<YamlScalarNode>().Select(a => a.Value!)],
        YamlScalarNode single => [single.Value!],
        _ => [],
    };

    private static YamlNode Node(YamlMappingNode node, params string[] path) =>
        path.Aggregate((YamlNode)node, (current, key) => ((YamlMappingNode)current)[key]);

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "template.yaml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
