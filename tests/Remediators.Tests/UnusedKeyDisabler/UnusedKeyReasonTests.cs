using UnusedKeyDisabler;

namespace Remediators.Tests.UnusedKeyDisabler;

/// <summary>Pins the reason text a deactivation reports and the never-used grace applied to the credential report's candidates.</summary>
public sealed class UnusedKeyReasonTests
{
    private static readonly UnusedKeyDisablerSettings Settings = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset HundredAndAHalfDaysAgo = new(2026, 8, 17, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void UnusedReason_OfAUsedKey_NamesItsLastUseInUtcAndTheWholeDaysSince()
    {
        var key = new KeyUsage("alice", "AKIA1", true, HundredAndAHalfDaysAgo.AddDays(-300), HundredAndAHalfDaysAgo.ToOffset(TimeSpan.FromHours(2)));

        Assert.Equal("last used 2026-08-17T00:00:00Z: 100 days ago, more than 90 days", UnusedKeyPolicy.UnusedReason(key, Now, Settings));
    }

    [Fact]
    public void UnusedReason_OfANeverUsedKey_NamesItsCreation()
    {
        var key = new KeyUsage("alice", "AKIA1", true, HundredAndAHalfDaysAgo, null);

        Assert.Equal("never used, created 2026-08-17T00:00:00Z: 100 days ago, more than 90 days", UnusedKeyPolicy.UnusedReason(key, Now, Settings));
    }

    [Fact]
    public void IsCandidate_ANeverUsedReportedKeyInsideTheGrace_IsNoCandidate_ButAUsedOneAsOldIs()
    {
        var settings = Settings with { MaxKeyAgeDays = 1, NeverUsedGraceDays = 7 };
        var neverUsed = new ReportedUser("alice", "arn:aws:iam::123456789012:user/alice", [new ReportedKey(1, Now.AddDays(-3), null)]);
        var used = neverUsed with { ActiveKeys = [new ReportedKey(1, Now.AddDays(-300), Now.AddDays(-3))] };

        Assert.False(UnusedKeyPolicy.IsCandidate(neverUsed, Now, settings));
        Assert.True(UnusedKeyPolicy.IsCandidate(used, Now, settings));
    }
}
