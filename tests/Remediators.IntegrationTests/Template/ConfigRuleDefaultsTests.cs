namespace Remediators.IntegrationTests.Template;

/// <summary>
/// The Config rules a function handles when its variable is unset (sam local invoke without it, in-process runs) are the
/// template's defaults: the two are written in two places, and a rule added to one only would be routed but refused.
/// </summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed class ConfigRuleDefaultsTests(TransformedTemplate template)
{
    public static TheoryData<string, string[]> CodeDefaults => new()
    {
        { "RevokerConfigRuleNames", [.. new global::PublicIngressRevoker.PublicIngressRevokerSettings().ConfigRuleNames] },
        { "UnusedKeyConfigRuleNames", [.. new global::UnusedKeyDisabler.UnusedKeyDisablerSettings().ConfigRuleNames] },
        { "EncryptionConfigRuleNames", [.. new global::EncryptionEnforcer.EncryptionEnforcerSettings().ConfigRuleNames] },
    };

    [Theory]
    [MemberData(nameof(CodeDefaults))]
    public void CodeDefault_IsTheTemplateParametersDefault(string parameter, string[] codeDefault)
    {
        var templateDefault = template.Root.GetProperty("Parameters").GetProperty(parameter).GetProperty("Default").GetString()!.Split(',');

        Assert.Equal(templateDefault.Order(StringComparer.Ordinal), codeDefault.Order(StringComparer.Ordinal));
    }
}
