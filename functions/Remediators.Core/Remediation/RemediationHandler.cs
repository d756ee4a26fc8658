using System.Text.Json;
using Remediators.Core.Hosting;

namespace Remediators.Core.Remediation;

/// <summary>
/// The Report step for every function: times the run, logs the outcome as one JSON line plus an EMF
/// metrics line, and returns the outcome as the invocation's response. Failures are logged and rethrown
/// so Lambda retries and the on-failure destination receives them.
/// </summary>
public sealed class RemediationHandler(IRemediation remediation, TimeProvider clock, TextWriter log) : IInvocationHandler
{
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        Outcome outcome;
        try
        {
            outcome = await remediation.RunAsync(payload, context, cancellationToken);
        }
        catch (Exception error)
        {
            var failed = Outcome.Rejected(remediation.FunctionName, context.RequestId, error.Message, remediation.DryRun) with
            {
                Status = OutcomeStatus.Failed,
                DurationMs = (long)clock.GetElapsedTime(started).TotalMilliseconds,
            };
            Write(failed);
            throw;
        }
        outcome = outcome with { DurationMs = (long)clock.GetElapsedTime(started).TotalMilliseconds };
        return Write(outcome);
    }

    private byte[] Write(Outcome outcome)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(outcome, RemediationJsonContext.Default.Outcome);
        log.WriteLine(System.Text.Encoding.UTF8.GetString(json));
        log.WriteLine(EmfMetrics.Format(outcome, clock.GetUtcNow()));
        log.Flush();
        return json;
    }
}
