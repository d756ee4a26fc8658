using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using UnusedKeyDisabler;

namespace Remediators.Tests.UnusedKeyDisabler;

/// <summary>The function's gating: dry-run deactivates nothing, and an event for another account makes no call.</summary>
public sealed class UnusedKeyDisablerFunctionTests
{
    private const string OwnArn = "arn:aws:lambda:us-east-1:123456789012:function:UnusedKeyDisabler";
    private readonly KeyFailureTests.Keys _keys = new([KeyFailureTests.Key(0), KeyFailureTests.Key(1)], new HashSet<int>());

    private Task<Outcome> RunAsync(RemediationMode mode, string? functionArn = OwnArn, string account = "123456789012")
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Events, "unused-key-disabler", "scheduled-scan.json"))
            .Replace("\"account\": \"123456789012\"", $"\"account\": \"{account}\"", StringComparison.Ordinal);
        var function = new Function(new UnusedKeyDisablerSettings { Mode = mode }, _ => _keys, new TestClock.FixedNow(KeyFailureTests.Now));
        return function.RunAsync(System.Text.Encoding.UTF8.GetBytes(json),
            new InvocationContext("request-1", KeyFailureTests.Now.AddMinutes(1), functionArn, null), CancellationToken.None);
    }

    [Fact]
    public async Task Scan_InDryRun_ReportsEveryPlannedDeactivationAndCallsNone()
    {
        var outcome = await RunAsync(RemediationMode.DryRun);

        Assert.Equal(OutcomeStatus.DryRun, outcome.Status);
        Assert.Equal(2, outcome.Counts["KeysPlanned"]);
        Assert.Equal(0, _keys.Attempts);
    }

    [Fact]
    public async Task Scan_InEnforce_DeactivatesWhatTheDryRunPlanned()
    {
        var outcome = await RunAsync(RemediationMode.Enforce);

        Assert.Equal(OutcomeStatus.Remediated, outcome.Status);
        Assert.Equal(2, _keys.Attempts);
    }

    [Theory]
    [InlineData(OwnArn, "210987654321", "account 210987654321")]
    [InlineData(null, "123456789012", FunctionScope.UnknownScopeReason)]
    public async Task AnEventOutsideTheFunctionsAccount_IsRejectedBeforeAnyCall(string? functionArn, string account, string reason)
    {
        var outcome = await RunAsync(RemediationMode.Enforce, functionArn, account);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Contains(reason, outcome.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 0), (_keys.ReportReads, _keys.Attempts));
    }
}
