namespace Remediators.Core.Events;

/// <summary>A parsed, typed reason to run a remediation.</summary>
public abstract record Trigger(EventBridgeEvent Envelope);

public sealed record CloudTrailCall(EventBridgeEvent Envelope, CloudTrailDetail Call) : Trigger(Envelope);

public sealed record ComplianceChange(EventBridgeEvent Envelope, ComplianceChangeDetail Change) : Trigger(Envelope)
{
    public bool IsNonCompliant => Change.NewEvaluationResult.ComplianceType == "NON_COMPLIANT";
}

public sealed record GuardDutyFindingEvent(EventBridgeEvent Envelope, GuardDutyFinding Finding) : Trigger(Envelope);

public sealed record ScheduledSweep(EventBridgeEvent Envelope) : Trigger(Envelope);

/// <summary>Either a trigger or the reason the input was refused.</summary>
public sealed record ParseResult(Trigger? Trigger, string? Rejection)
{
    public static ParseResult Accepted(Trigger trigger) => new(trigger, null);
    public static ParseResult Rejected(string reason) => new(null, reason);
}
