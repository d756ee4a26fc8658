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

    [Fact]
    public void ClockFromEnvironment_WithoutTheTestVariable_IsTheSystemClock() =>
        Assert.Same(TimeProvider.System, UnusedKeyDisablerSettings.ClockFromEnvironment(Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"))));

    [Fact]
    public void ClockFromEnvironment_AgainstALoopbackEmulator_UsesTheTestInstant()
    {
        var clock = UnusedKeyDisablerSettings.ClockFromEnvironment(Env(
            (UnusedKeyDisablerSettings.TestNowVariable, "2030-01-02T03:04:05Z"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")));

        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), clock.GetUtcNow());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("https://iam.amazonaws.com", null)]
    [InlineData("http://127.0.0.1:5000", "https://iam.amazonaws.com")]
    public void ClockFromEnvironment_WhenIamIsNotALoopbackEmulator_RefusesTheTestInstant(string? endpoint, string? iamEndpoint)
    {
        var env = Env((UnusedKeyDisablerSettings.TestNowVariable, "2030-01-02T03:04:05Z"),
            ("AWS_ENDPOINT_URL", endpoint!), ("AWS_ENDPOINT_URL_IAM", iamEndpoint!));

        var error = Assert.Throws<SettingsException>(() => UnusedKeyDisablerSettings.ClockFromEnvironment(env));

        Assert.Equal(UnusedKeyDisablerSettings.TestNowVariable, error.Variable);
    }
}
