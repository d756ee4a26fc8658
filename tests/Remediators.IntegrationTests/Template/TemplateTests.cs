using System.Diagnostics;
using Remediators.IntegrationTests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace Remediators.IntegrationTests.Template;

public sealed class TemplateTests
{
    private static readonly YamlMappingNode Root = LoadTemplate();

    [Fact]
    public void EveryParameter_HasADescriptionAndADefault()
    {
        var parameters = (YamlMappingNode)Root.Children[new YamlScalarNode("Parameters")];

        var incomplete = parameters.Children
            .Where(p => Scalar(p.Value, "Description") is null or "" || !((YamlMappingNode)p.Value).Children.ContainsKey(new YamlScalarNode("Default")))
            .Select(p => ((YamlScalarNode)p.Key).Value);

        Assert.Empty(incomplete);
    }

    [Theory]
    [InlineData("member-roles.yaml")]
    [InlineData("member-forwarding.yaml")]
    public void MemberTemplate_DescribesEveryParameter(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, file))));
        var parameters = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("Parameters")];

        Assert.Empty(parameters.Children.Where(p => Scalar(p.Value, "Description") is null or "").Select(p => ((YamlScalarNode)p.Key).Value));
    }

    [Theory]
    [InlineData("template.yaml")]
    [InlineData("member-roles.yaml")]
    [InlineData("member-forwarding.yaml")]
    public void CfnLint_ReportsNothing(string file)
    {
        var lint = Process.Start(new ProcessStartInfo("cfn-lint", [file])
        {
            WorkingDirectory = LocalInvoke.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = lint.StandardOutput.ReadToEnd() + lint.StandardError.ReadToEnd();
        lint.WaitForExit();

        Assert.True(lint.ExitCode == 0, output);
    }

    private static string? Scalar(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static YamlMappingNode LoadTemplate()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "template.yaml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
