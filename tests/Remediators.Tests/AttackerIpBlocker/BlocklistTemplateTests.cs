using AttackerIpBlocker;
using BlocklistPruner;
using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;
using YamlDotNet.RepresentationModel;

namespace Remediators.Tests.AttackerIpBlocker;

/// <summary>The template sets every variable the blocker's and the pruner's settings read, and never the test clock.</summary>
public sealed class BlocklistTemplateTests
{
    private static readonly YamlMappingNode Root = LoadTemplate();

    public static TheoryData<string, Type[]> SettingsOfEachFunction => new()
    {
        { "AttackerIpBlocker", [typeof(AttackerIpBlockerSettings), typeof(BlocklistSettings)] },
        { "BlocklistPruner", [typeof(BlocklistSettings)] },
    };

    [Theory]
    [MemberData(nameof(SettingsOfEachFunction))]
    public void Environment_SetsEverySettingButNeverTheTestClock(string function, Type[] settings)
    {
        var variables = Variables((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Root["Resources"])[function])["Properties"])
            .Concat(Variables((YamlMappingNode)((YamlMappingNode)Root["Globals"])["Function"]))
            .ToHashSet(StringComparer.Ordinal);
        var settingVariables = settings.SelectMany(t => t.GetFields())
            .Where(f => f.IsLiteral && f.Name.EndsWith("Variable", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.All(settingVariables, variable => Assert.Contains(variable, variables));
        Assert.DoesNotContain(TestClock.Variable, variables);
    }

    private static IEnumerable<string> Variables(YamlMappingNode owner) =>
        ((YamlMappingNode)((YamlMappingNode)owner["Environment"])["Variables"]).Children.Keys.Select(key => ((YamlScalarNode)key).Value!);

    private static YamlMappingNode LoadTemplate()
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Path.Combine(RepoPaths.Root, "template.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
