using Remediators.Core.Remediation;
using UnusedKeyDisabler;
using YamlDotNet.RepresentationModel;

namespace Remediators.Tests.UnusedKeyDisabler;

/// <summary>The template sets every variable the settings read, and never the test clock.</summary>
public sealed class UnusedKeyDisablerTemplateTests
{
    private static readonly YamlMappingNode Root = LoadTemplate();

    private static YamlMappingNode LoadTemplate()
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Path.Combine(RepoPaths.Root, "template.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Properties =>
        (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Root["Resources"])["UnusedKeyDisabler"])["Properties"];

    [Fact]
    public void Environment_SetsEverySettingButNeverTheTestClock()
    {
        var variables = ((YamlMappingNode)((YamlMappingNode)Properties["Environment"])["Variables"]).Children.Keys
            .Concat(((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Root["Globals"])["Function"])["Environment"])["Variables"]).Children.Keys)
            .Select(key => ((YamlScalarNode)key).Value!)
            .ToHashSet(StringComparer.Ordinal);
        var settingVariables = typeof(UnusedKeyDisablerSettings).GetFields()
            .Where(f => f.IsLiteral && f.Name.EndsWith("Variable", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.All(settingVariables, variable => Assert.Contains(variable, variables));
        Assert.DoesNotContain(TestClock.Variable, variables);
    }
}
