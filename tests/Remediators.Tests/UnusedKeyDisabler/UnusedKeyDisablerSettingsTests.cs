using Remediators.Core.Remediation;
using UnusedKeyDisabler;

namespace Remediators.Tests.UnusedKeyDisabler;

public sealed class UnusedKeyDisablerSettingsTests
{
    private static EnvironmentSettings Env(params (string Name, string Value)[] values) =>
        new(name => values.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void FromEnvironment_WithNothingSet_UsesTheSafeDefaults()
    {
        var settings = UnusedKeyDisablerSettings.FromEnvironment(Env());

        Assert.Equal(RemediationMode.DryRun, settings.Mode);
        Assert.Equal(90, settings.MaxKeyAgeDays);
        Assert.Equal(7, settings.NeverUsedGraceDays);
        Assert.Equal(10, settings.MaxKeysPerRun);
        Assert.Contains("Discovery:IAMUser/", settings.FindingTypePrefixes);
    }

    [Theory]
    [InlineData(UnusedKeyDisablerSettings.MaxKeyAgeDaysVariable, "0")]
    [InlineData(UnusedKeyDisablerSettings.MaxKeysPerRunVariable, "0")]
    [InlineData(UnusedKeyDisablerSettings.ExemptUserPathPrefixesVariable, "service-accounts/")]
    public void FromEnvironment_WithAnUnsafeValue_FailsNamingTheVariable(string variable, string value) =>
        Assert.Equal(variable, Assert.Throws<SettingsException>(() => UnusedKeyDisablerSettings.FromEnvironment(Env((variable, value)))).Variable);
}
