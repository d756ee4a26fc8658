namespace Remediators.Bench.Proxy;

public enum FaultKind
{
    /// <summary>500 with the service's InternalError code; the call does not reach the emulator.</summary>
    ServerError,

    /// <summary>The service's throttling error; the call does not reach the emulator.</summary>
    Throttling,

    /// <summary>The connection drops before the call reaches the emulator.</summary>
    ResetBeforeForwarding,

    /// <summary>The emulator applies the call, then the connection drops: the caller cannot know it succeeded.</summary>
    ResetAfterForwarding,

    /// <summary>WAF's write quota (about one write per second per IP set) was exceeded: WAFLimitsExceededException.</summary>
    WafQuota,

    /// <summary>The caller's role may not call the operation: the service's access-denied error; the call does not reach the emulator.</summary>
    AccessDenied,
}

/// <param name="FailureRate">Share of calls (0 to 1) answered with a random fault instead of the emulator's answer.</param>
/// <param name="Seed">Seed of the fault dice, so a run can be repeated.</param>
/// <param name="EnforceWafWriteQuota">Answer WAFLimitsExceededException to a second write to one IP set within a second.</param>
public sealed record FaultPlan(double FailureRate, int Seed, bool EnforceWafWriteQuota)
{
    public static readonly FaultPlan None = new(0, 0, false);

    public static readonly FaultPlan WafQuotaOnly = new(0, 0, true);

    public static readonly TimeSpan WafWriteInterval = TimeSpan.FromSeconds(1);

    /// <summary>Operations (e.g. DescribeLoadBalancers) answered with access denied every time, as a role without that permission sees.</summary>
    public IReadOnlySet<string> DeniedOperations { get; init; } = new HashSet<string>();
}
