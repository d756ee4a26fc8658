using System.Text.Json.Serialization;

namespace Remediators.Core.Remediation;

[JsonConverter(typeof(JsonStringEnumConverter<OutcomeStatus>))]
public enum OutcomeStatus
{
    AlreadyCompliant,
    Remediated,
    DryRun,
    Exempt,
    Capped,
    Rejected,
    Failed,
}

/// <summary>
/// One change made (or, in dry-run, planned) with everything needed to undo it.
/// <paramref name="Undo"/> holds the previous state as flat key/value pairs; <paramref name="HowToUndo"/> says, in one
/// sentence a person on call can follow, how to put it back (built by each function from the same values).
/// </summary>
public sealed record Change(string Action, string Target, string Reason, IReadOnlyDictionary<string, string> Undo, string HowToUndo);

/// <summary>What happened to one resource (security group, bucket, key, IP set...).</summary>
public sealed record ResourceResult(string ResourceId, OutcomeStatus Status, string Reason, IReadOnlyList<Change> Changes)
{
    public static ResourceResult NoChange(string resourceId, OutcomeStatus status, string reason) =>
        new(resourceId, status, reason, []);
}

/// <summary>The structured record of one invocation: returned, logged as one JSON line and sent as metrics.</summary>
public sealed record Outcome(
    string Function,
    string EventId,
    string? Account,
    string? Region,
    OutcomeStatus Status,
    string Reason,
    bool DryRun,
    IReadOnlyList<ResourceResult> Resources,
    IReadOnlyDictionary<string, long> Counts,
    long DurationMs)
{
    public static Outcome Rejected(string function, string eventId, string reason, bool dryRun) =>
        new(function, eventId, null, null, OutcomeStatus.Rejected, reason, dryRun, [], EmptyCounts, 0);

    public static readonly IReadOnlyDictionary<string, long> EmptyCounts = new Dictionary<string, long>();

    // From the most significant status down; AlreadyCompliant, the least, is the default.
    private static readonly OutcomeStatus[] BySignificance =
    [
        OutcomeStatus.Failed, OutcomeStatus.Capped, OutcomeStatus.Remediated, OutcomeStatus.DryRun,
        OutcomeStatus.Rejected, OutcomeStatus.Exempt, OutcomeStatus.AlreadyCompliant,
    ];

    /// <summary>0 for the most significant status (Failed), growing towards AlreadyCompliant.</summary>
    public static int SignificanceRank(OutcomeStatus status) => Array.IndexOf(BySignificance, status);

    /// <summary>The invocation's status from its resources: the most significant one wins.</summary>
    public static OutcomeStatus Summarize(IEnumerable<ResourceResult> resources)
    {
        var statuses = resources.Select(r => r.Status).ToHashSet();
        return BySignificance.FirstOrDefault(statuses.Contains, OutcomeStatus.AlreadyCompliant);
    }
}
