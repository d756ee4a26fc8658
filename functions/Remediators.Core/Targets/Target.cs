namespace Remediators.Core.Targets;

/// <summary>The account and region one event is acted on in: the hub's own, or a member's reached through its role.</summary>
public sealed record Target(string Account, string Region);

/// <summary>The target an event resolves to, or why it is refused (then nothing is called, not even AssumeRole).</summary>
public sealed record TargetResolution(Target? Target, string? Refusal)
{
    public static TargetResolution Of(Target target) => new(target, null);
    public static TargetResolution Refused(string reason) => new(null, reason);
}

/// <summary>Whether a function's calls are regional (EC2, S3) or global (IAM), where only the target account matters.</summary>
public enum TargetKind
{
    Regional,
    AccountOnly,
}
