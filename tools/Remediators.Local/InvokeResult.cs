namespace Remediators.Local;

/// <param name="Answered">True when the function posted a response; false for an invocation or init error, a timeout or an early exit.</param>
/// <param name="Body">The response JSON as posted, or the error JSON.</param>
/// <param name="Logs">The function's stdout and stderr lines.</param>
/// <param name="Elapsed">From starting the function process until the outcome was known.</param>
/// <param name="PeakMemoryBytes">
/// The function process's peak resident memory (VmHWM) when the outcome was known; null where /proc is not available or the
/// process had already exited.
/// </param>
public sealed record InvokeResult(bool Answered, string Body, string Logs, TimeSpan Elapsed, long? PeakMemoryBytes)
{
    /// <summary>True when the function ran as its Native AOT <c>bootstrap</c> (provided.al2023), false when through <c>dotnet exec</c>.</summary>
    public bool RanNativeBootstrap { get; init; }
}
