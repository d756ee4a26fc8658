namespace Remediators.Core.Hosting;

/// <summary>What the Runtime API says about one invocation, from its response headers.</summary>
public sealed record InvocationContext(
    string RequestId,
    DateTimeOffset Deadline,
    string? InvokedFunctionArn,
    string? TraceId)
{
    public TimeSpan RemainingTime(TimeProvider clock) => Deadline - clock.GetUtcNow();
}
