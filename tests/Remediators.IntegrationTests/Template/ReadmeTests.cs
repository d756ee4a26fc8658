using System.Text;
using Remediators.IntegrationTests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace Remediators.IntegrationTests.Template;

public sealed class ReadmeTests
{
    private const string TableStart = "<!-- parameters:start -->";
    private const string TableEnd = "<!-- parameters:end -->";

    [Fact]
    public void ParameterTable_MatchesTemplateYaml()
    {
        var readme = File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "README.md"));
        var start = readme.IndexOf(TableStart, StringComparison.Ordinal) + TableStart.Length;
        var end = readme.IndexOf(TableEnd, StringComparison.Ordinal);
        Assert.True(start > TableStart.Length - 1 && end > start, $"README.md must hold the parameter table between {TableStart} and {TableEnd}.");

        var expected = ParameterTable();

        // On failure the message is the table to paste into README.md.
        Assert.True(readme[start..end].Trim() == expected, "\n" + expected);
    }

    [Fact]
    public void SetUp_GivesExactlyTwoCommands_AndCiRunsTheTestOne()
    {
        var readme = File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "README.md"));
        var setUp = readme[readme.IndexOf("## Set up", StringComparison.Ordinal)..];
        var start = setUp.IndexOf("```sh\n", StringComparison.Ordinal) + 6;
        var block = setUp[start..setUp.IndexOf("\n```", start, StringComparison.Ordinal)];
        var commands = block.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('#')[0].Trim()).ToList();
        var ci = File.ReadAllLines(Path.Combine(LocalInvoke.RepoRoot, ".ci", "run")).Last(line => line.Trim().Length > 0 && !line.StartsWith('#'));

        Assert.Equal(["make demo", "make test"], commands);
        Assert.Equal(commands[1], ci.Trim());
    }

    private static string ParameterTable()
    {
        var template = new YamlStream();
        template.Load(new StringReader(File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "template.yaml"))));
        var parameters = (YamlMappingNode)((YamlMappingNode)template.Documents[0].RootNode).Children[new YamlScalarNode("Parameters")];
        var table = new StringBuilder("| Parameter | Default | Meaning |\n| --- | --- | --- |");
        foreach (var (name, node) in parameters.Children)
        {
            var parameter = (YamlMappingNode)node;
            var defaultValue = Text(parameter, "Default");
            table.Append($"\n| `{((YamlScalarNode)name).Value}` | {(defaultValue == "" ? "(empty)" : $"`{defaultValue}`")} | {Text(parameter, "Description").Replace("|", "\\|", StringComparison.Ordinal)} |");
        }
        return table.ToString();
    }

    private static string Text(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value ?? "" : "";
}
