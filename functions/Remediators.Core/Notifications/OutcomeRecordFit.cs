using System.Text.Json;
using Remediators.Core.Remediation;

namespace Remediators.Core.Notifications;

/// <summary>
/// Shrinks an outcome record to fit a message: SNS messages and EventBridge entries hold at most 256 KiB, and a full
/// account scan can list thousands of resources. The resources that matter most are kept; the log line keeps them all.
/// </summary>
public static class OutcomeRecordFit
{
    private const int MaxReasonLength = 2_000;

    /// <summary>The record as UTF-8 JSON of at most <paramref name="maxBytes"/> bytes (from 4 KiB up).</summary>
    public static byte[] Fit(Outcome outcome, int maxBytes)
    {
        var whole = Serialize(outcome);
        if (whole.Length <= maxBytes)
            return whole;

        var ordered = outcome.Resources.OrderByDescending(r => r.Changes.Count > 0).ThenBy(r => Outcome.SignificanceRank(r.Status)).ToList();
        var reason = outcome.Reason.Length > MaxReasonLength ? outcome.Reason[..MaxReasonLength] + "..." : outcome.Reason;
        byte[] Listing(int kept) => Serialize(outcome with
        {
            Reason = $"{reason} ({kept} of {ordered.Count} resources listed here; the function's log line for event {outcome.EventId} lists all)",
            Resources = ordered[..kept],
        });

        // The largest prefix that fits: sizes grow with every resource kept.
        int low = 0, high = ordered.Count;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Listing(middle).Length <= maxBytes)
                low = middle;
            else
                high = middle - 1;
        }
        return Listing(low);
    }

    public static byte[] Serialize(Outcome outcome) => JsonSerializer.SerializeToUtf8Bytes(outcome, RemediationJsonContext.Default.Outcome);
}
