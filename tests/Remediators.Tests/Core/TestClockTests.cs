using Remediators.Core.Remediation;

namespace Remediators.Tests.Core;

public sealed class TestClockTests
{
    private static EnvironmentSettings Env(params (string Name, string? Value)[] values) =>
        new(name => values.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void FromEnvironment_WithoutTheTestVariable_IsTheSystemClock() =>
        Assert.Same(TimeProvider.System, TestClock.FromEnvironment(Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")), "IAM"));

    [Fact]
    public void FromEnvironment_AgainstALoopbackEmulator_UsesTheTestInstant()
    {
        var clock = TestClock.FromEnvironment(Env((TestClock.Variable, "2030-01-02T03:04:05Z"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")), "IAM", "EC2");

        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), clock.GetUtcNow());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("https://iam.amazonaws.com", null)]
    [InlineData("http://127.0.0.1:5000", "https://iam.amazonaws.com")]
    public void FromEnvironment_WhenAServiceIsNotALoopbackEmulator_RefusesTheTestInstant(string? endpoint, string? iamEndpoint)
    {
        var env = Env((TestClock.Variable, "2030-01-02T03:04:05Z"), ("AWS_ENDPOINT_URL", endpoint), ("AWS_ENDPOINT_URL_IAM", iamEndpoint));

        var error = Assert.Throws<SettingsException>(() => TestClock.FromEnvironment(env, "EC2", "IAM"));

        Assert.Equal(TestClock.Variable, error.Variable);
    }

    [Fact]
    public void FromEnvironment_WithNoServiceNamed_RefusesTheTestInstant() =>
        Assert.Throws<SettingsException>(() => TestClock.FromEnvironment(Env((TestClock.Variable, "2030-01-02T03:04:05Z"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"))));
}
