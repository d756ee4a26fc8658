using Remediators.IntegrationTests.Fixtures;
using Remediators.Local.Demo;

namespace Remediators.IntegrationTests.Demo;

/// <summary>The README's first command, run the way `make demo` runs it, on its own moto.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_InEnforceMode_MakesExactlyTheExpectedRemediations()
    {
        var output = new StringWriter();

        var exitCode = await new DemoRunner(output, dryRun: false).RunAsync(LocalInvoke.RepoRoot, CancellationToken.None);

        var lines = output.ToString().Split('\n');
        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains(lines, l => l.StartsWith("Enforce: ", StringComparison.Ordinal) && l.EndsWith("0 unexpected: PASS", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("ingress tcp 22 from 0.0.0.0/0", StringComparison.Ordinal) && l.Contains("allowed      -", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("notification: Remediated: PublicIngressRevoker sg-", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= StateTable.Width, l));
    }

    [Fact]
    public async Task Demo_InDryRunMode_ReportsThePlanAndChangesNothing()
    {
        var output = new StringWriter();

        var exitCode = await new DemoRunner(output, dryRun: true).RunAsync(LocalInvoke.RepoRoot, CancellationToken.None);

        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("expected changes planned, 0 made: PASS", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output.ToString(), StringComparison.Ordinal);
    }
}
