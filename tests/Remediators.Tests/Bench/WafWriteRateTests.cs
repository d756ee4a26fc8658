using Remediators.Bench.Proxy;
using Remediators.Bench.Report;

namespace Remediators.Tests.Bench;

public sealed class WafWriteRateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MaxWritesPerSecond_OfWritesMoreThanASecondApart_IsOne()
    {
        var calls = new[] { Write("set-a", 0), Write("set-a", 1100), Write("set-a", 2200) };

        Assert.Equal(1, WafWriteRate.MaxWritesPerSecond(calls));
    }

    [Fact]
    public void MaxWritesPerSecond_OfTwoWritesToOneSetWithinASecond_IsTwo()
    {
        var calls = new[] { Write("set-a", 0), Write("set-a", 1500), Write("set-a", 2400) };

        Assert.Equal(2, WafWriteRate.MaxWritesPerSecond(calls));
    }

    [Fact]
    public void MaxWritesPerSecond_CountsRefusedWritesAndJudgesByArrivalNotAnswer()
    {
        var refused = Write("set-a", 300) with { Fault = FaultKind.WafQuota };
        // Answered 2 s later, but it reached the proxy 0.3 s after the first write.
        var calls = new[] { Write("set-a", 0), refused with { At = Start.AddSeconds(2.3) } };

        Assert.Equal(2, WafWriteRate.MaxWritesPerSecond(calls));
    }

    [Fact]
    public void MaxWritesPerSecond_OfAWriteExactlyOneSecondLater_IsOne()
    {
        Assert.Equal(1, WafWriteRate.MaxWritesPerSecond([Write("set-a", 0), Write("set-a", 1000)]));
    }

    [Fact]
    public void MaxWritesPerSecond_JudgesEachSetOnItsOwnAndIgnoresOtherCalls()
    {
        var read = new ProxiedCall(new AwsOperation("wafv2", "GetIPSet"), 200, null, Start, null) { ReceivedAt = Start };
        var calls = new[] { Write("set-a", 0), Write("set-b", 10), read, Write("set-b", 1200) };

        Assert.Equal(1, WafWriteRate.MaxWritesPerSecond(calls));
    }

    [Fact]
    public void MaxWritesPerSecond_OfNoWrite_IsZero()
    {
        Assert.Equal(0, WafWriteRate.MaxWritesPerSecond([]));
    }

    private static ProxiedCall Write(string setId, int milliseconds) =>
        new(new AwsOperation("wafv2", "UpdateIPSet"), 200, null, Start.AddMilliseconds(milliseconds + 20), setId) { ReceivedAt = Start.AddMilliseconds(milliseconds) };
}
