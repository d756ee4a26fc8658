using Remediators.Bench.Report;
using Remediators.Bench.Scenarios;
using Remediators.Bench.Scenarios.ApiCalls;
using Remediators.Bench.Scenarios.ColdStart;
using Remediators.Bench.Scenarios.OrgSweep;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Bench;

/// <summary>Each benchmark scenario end to end at a small size, on its own moto and proxy, so the tool cannot rot.</summary>
public sealed class BenchScenarioTests : IDisposable
{
    private readonly StringWriter _output = new();

    public void Dispose() => _output.Dispose();

    [Fact]
    public async Task Burst_OfThirtyFindingsInBatchesOfTen_BlocksEveryAddressWithOneWritePerBatch()
    {
        var checks = await new BurstScenario(_output).RunAsync(LocalInvoke.RepoRoot, new BurstScenario.Options(30, BatchSize: 10), CancellationToken.None);

        AssertAllPassed(checks);
        Assert.Matches(@"addresses blocked\s+30\s", _output.ToString());
        Assert.Matches(@"UpdateIPSet calls\s+3\s", _output.ToString());
    }

    [Fact]
    public async Task Burst_OfThirtyFindingsAboutThreeMembers_BlocksEveryAddressInTheHubSetsWithOneAssumeRolePerAccountPerInvocation()
    {
        var checks = await new BurstScenario(_output).RunAsync(LocalInvoke.RepoRoot, new BurstScenario.Options(30, BatchSize: 10, Accounts: 3), CancellationToken.None);

        AssertAllPassed(checks);
        Assert.Matches(@"addresses blocked\s+30\s", _output.ToString());
        Assert.Matches(@"UpdateIPSet calls\s+3\s", _output.ToString());
        Assert.Matches(@"AssumeRole calls\s+9\s", _output.ToString());
    }

    [Fact]
    public async Task OrgSweep_OfThreeMembersInTwoRegions_FixesEveryGroupWithOneAssumeRolePerContainerAndBoundedCalls()
    {
        var checks = await new OrgSweepScenario(_output).RunAsync(LocalInvoke.RepoRoot, new OrgSweepScenario.Options(3, 3), CancellationToken.None);

        AssertAllPassed(checks);
        var report = _output.ToString();
        Assert.Matches(@"work invocations\s+8\s", report);
        Assert.Matches(@"groups fixed \(re-read from moto\)\s+18\s", report);
        Assert.Matches(@"AssumeRole calls\s+6\s", report);
        Assert.Matches(@"AssumeRole per invocation \(max\)\s+1\s", report);
        Assert.Matches(@"AWS calls per target \(max\)\s+6\s", report);
        Assert.Matches(@"max invocations at once\s+2\s", report);
    }

    [Fact]
    public async Task KeyScan_OfOneHundredUsers_DeactivatesExactlyTheTwoStaleKeys()
    {
        var checks = await new KeyScanScenario(_output).RunAsync(LocalInvoke.RepoRoot, new KeyScanScenario.Options(100, 1), CancellationToken.None);

        AssertAllPassed(checks);
        Assert.Contains("keys deactivated: 2 of 2 stale, 0 others", _output.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"iam:UpdateAccessKey\s+2\s", _output.ToString());
    }

    [Fact]
    public async Task ApiCalls_OfTheRevokerSamples_RemediatesEachWithinFiveCalls()
    {
        var checks = await new ApiCallsScenario(_output).RunAsync(LocalInvoke.RepoRoot, new ApiCallsScenario.Options("PublicIngressRevoker"), CancellationToken.None);

        AssertAllPassed(checks);
        Assert.Contains(checks, c => c.Name == "PublicIngressRevoker calls per event");
        var samples = Directory.GetFiles(Path.Combine(LocalInvoke.RepoRoot, "events", "public-ingress-revoker"), "*.json").Length;
        Assert.Equal(samples, _output.ToString().Split('\n').Count(line => line.StartsWith("PublicIngressRevoker  ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ColdStart_OfTheMakeBuildOnce_TimesARealRemediation()
    {
        var checks = await new ColdStartScenario(_output).RunAsync(LocalInvoke.RepoRoot, new ColdStartScenario.Options(1, [PublishedVariant.Jit]), CancellationToken.None);

        AssertAllPassed(checks);
        Assert.Matches(@"jit\s+1\s+\d+\.\d\d", _output.ToString());
    }

    private void AssertAllPassed(IReadOnlyList<Check> checks)
    {
        Assert.NotEmpty(checks);
        Assert.True(checks.All(c => c.Passed), _output.ToString());
    }
}
