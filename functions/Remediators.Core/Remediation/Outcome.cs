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
    /// <summary>
    /// Set only on a resource whose Apply step threw: the error's code or type. The invocation then fails once the outcome
    /// is reported, so Lambda retries it; the changes listed were made before the error and stand.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    public static ResourceResult NoChange(string resourceId, OutcomeStatus status, string reason) =>
        new(resourceId, status, reason, []);

    /// <param name="doing">What was under way, e.g. "revoking 2 public rules".</param>
    /// <param name="made">The changes to this resource that finished before the error.</param>
    public static ResourceResult Failed(string resourceId, string doing, Exception error, IReadOnlyList<Change> made) =>
        new(resourceId, OutcomeStatus.Failed,
            $"failed while {doing}: {error.Message}" + (made.Count > 0 ? $"; the {made.Count} change(s) made before the error stand" : ""), made)
        {
            Error = ErrorCodeOf(error),
        };

    /// <summary>The AWS error code when there is one (AccessDenied, UnauthorizedOperation...), else the exception's type.</summary>
    public static string ErrorCodeOf(Exception error) => error switch
    {
        Aws.AwsServiceException aws => aws.ErrorCode,
        Amazon.Runtime.AmazonServiceException { ErrorCode: { Length: > 0 } code } => code,
        _ => error.GetType().Name,
    };
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

    /// <summary>Resources whose Apply step threw; the handler fails the invocation for them after reporting.</summary>
    [JsonIgnore]
    public IReadOnlyList<ResourceResult> Errors => [.. Resources.Where(r => r.Error is not null)];

    /// <summary>The invocation's status from its resources: the most significant one wins.</summary>
    public static OutcomeStatus Summarize(IEnumerable<ResourceResult> resources)
    {
        var statuses = resources.Select(r => r.Status).ToHashSet();
        return BySignificance.FirstOrDefault(statuses.Contains, OutcomeStatus.AlreadyCompliant);
    }
}
