using Remediators.Core.Blocklist;
using Remediators.Core.Notifications;
using Remediators.Core.Remediation;
using YamlDotNet.RepresentationModel;

namespace Remediators.Tests.Template;

/// <summary>template.yaml sets every variable each function's settings read, and never the test clock.</summary>
public sealed class FunctionEnvironmentTests
{
    private static readonly YamlMappingNode Root = LoadTemplate();

    public static TheoryData<string, Type[]> SettingsOfEachFunction => new()
    {
        { "PublicIngressRevoker", [typeof(global::PublicIngressRevoker.PublicIngressRevokerSettings), typeof(OutcomePublishingSettings)] },
        { "UnusedKeyDisabler", [typeof(global::UnusedKeyDisabler.UnusedKeyDisablerSettings), typeof(OutcomePublishingSettings)] },
        { "EncryptionEnforcer", [typeof(global::EncryptionEnforcer.EncryptionEnforcerSettings), typeof(OutcomePublishingSettings)] },
        { "AttackerIpBlocker", [typeof(global::AttackerIpBlocker.AttackerIpBlockerSettings), typeof(BlocklistSettings), typeof(OutcomePublishingSettings)] },
        { "BlocklistPruner", [typeof(global::BlocklistPruner.BlocklistPrunerSettings), typeof(BlocklistSettings), typeof(OutcomePublishingSettings)] },
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

    [Fact]
    public void AllowlistParameterNamedInUndoSentences_IsTheOneThatSetsTheBlockersAllowlist()
    {
        var variables = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Root["Resources"])["AttackerIpBlocker"])["Properties"])["Environment"];
        var allowlist = (YamlScalarNode)((YamlMappingNode)variables["Variables"])[global::AttackerIpBlocker.AttackerIpBlockerSettings.AllowlistCidrsVariable];

        Assert.Equal(("!Ref", global::AttackerIpBlocker.AttackerIpBlockerSettings.AllowlistCidrsParameter), (allowlist.Tag.Value, allowlist.Value));
    }

    // The organization contract of issue 16: every function reads its targets from these, and the defaults keep it in its own account.
    [Theory]
    [InlineData("TARGET_ACCOUNTS", "TargetAccounts", "")]
    [InlineData("TARGET_REGIONS", "TargetRegions", "")]
    [InlineData("ORGANIZATION_ID", "OrganizationId", "")]
    [InlineData("MEMBER_ROLE_PREFIX", "MemberRolePrefix", "remediators-")]
    public void Globals_GiveEveryFunctionTheOrganizationParameter_WhoseDefaultIsSingleAccount(string variable, string parameter, string defaultValue)
    {
        var variables = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Root["Globals"])["Function"])["Environment"])["Variables"];
        var value = (YamlScalarNode)variables[variable];
        var declared = (YamlMappingNode)((YamlMappingNode)Root["Parameters"])[parameter];

        Assert.Equal(("!Ref", parameter), (value.Tag.Value, value.Value));
        Assert.Equal(defaultValue, ((YamlScalarNode)declared["Default"]).Value);
    }

    [Fact]
    public void EveryFunction_IsCovered()
    {
        var functions = ((YamlMappingNode)Root["Resources"]).Children
            .Where(r => ((YamlMappingNode)r.Value).Children.TryGetValue(new YamlScalarNode("Type"), out var type) && type.ToString() == "AWS::Serverless::Function")
            .Select(r => r.Key.ToString());

        Assert.Equal(functions.Order(StringComparer.Ordinal), SettingsOfEachFunction.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
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
