using Remediators.Bench.Proxy;

namespace Remediators.Bench.Report;

/// <summary>How fast IP sets were written, against WAF's quota of about one write per second per set.</summary>
internal static class WafWriteRate
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most write attempts (Create/Update/DeleteIPSet, refused ones included) one IP set received within any one-second
    /// window [t, t + 1 s), by the time each reached the proxy.
    /// </summary>
    public static int MaxWritesPerSecond(IEnumerable<ProxiedCall> calls)
    {
        var max = 0;
        foreach (var set in calls.Where(c => c.IpSetId is not null).GroupBy(c => c.IpSetId))
        {
            var times = set.Select(c => c.ReceivedAt).Order().ToList();
            var first = 0;
            for (var last = 0; last < times.Count; last++)
            {
                while (times[last] - times[first] >= Window)
                    first++;
                max = Math.Max(max, last - first + 1);
            }
        }
        return max;
    }
}
