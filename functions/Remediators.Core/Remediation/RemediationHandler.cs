using System.Text.Json;
using Remediators.Core.Aws;
using Remediators.Core.Hosting;
using Remediators.Core.Notifications;

namespace Remediators.Core.Remediation;

/// <summary>
/// The Report step for every function: times the run, publishes the outcome (event bus, notification topic), logs it
/// as one JSON line plus an EMF metrics line, and returns it as the invocation's response. Failures are reported the
/// same way and rethrown, so Lambda retries and the on-failure destination receives them; so is an outcome in which some
/// resources failed, but only after the whole outcome (the other resources' results and changes) has been reported.
/// </summary>
public sealed class RemediationHandler(IRemediation remediation, OutcomePublisher publisher, TimeProvider clock, TextWriter log) : IInvocationHandler
{
    // Publishing must not eat the time a retry of the whole invocation would need.
    private static readonly TimeSpan PublishingTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The handler a function's <c>Main</c> runs: publishing as its environment says, logging to standard output.</summary>
    public static RemediationHandler ForLambda(IRemediation remediation, EnvironmentSettings environment, AwsClients aws) => new(
        remediation, OutcomePublisher.FromSettings(OutcomePublishingSettings.FromEnvironment(environment), aws), TimeProvider.System, Console.Out);

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
            await ReportAsync(failed, context);
            throw;
        }
        var answer = await ReportAsync(outcome with { DurationMs = (long)clock.GetElapsedTime(started).TotalMilliseconds }, context);
        // Every resource's result, made changes with their undo among them, is on record now; a retry finds those done.
        if (outcome.Errors is { Count: > 0 } errors)
            throw new ResourcesFailedException(errors);
        return answer;
    }

    private async Task<byte[]> ReportAsync(Outcome outcome, InvocationContext context)
    {
        using var publishing = new CancellationTokenSource(PublishingTimeout, clock);
        var unpublished = await publisher.PublishAsync(outcome, publishing.Token);

        var json = JsonSerializer.SerializeToUtf8Bytes(outcome, RemediationJsonContext.Default.Outcome);
        var now = clock.GetUtcNow();
        log.WriteLine(JsonLog.Line(now, LevelOf(outcome.Status), $"{outcome.Function} {outcome.Status}: {outcome.Reason}", context.RequestId, context.TraceId,
            line => { line.WritePropertyName("outcome"); line.WriteRawValue(json, skipInputValidation: true); }));
        foreach (var failure in unpublished)
            log.WriteLine(JsonLog.Failure(now, $"The outcome was not published to {failure.Target}", failure.Error, context.RequestId, context.TraceId));
        log.WriteLine(EmfMetrics.Format(outcome, now, unpublished.Count));
        log.Flush();
        return json;
    }

    private static string LevelOf(OutcomeStatus status) => status switch
    {
        OutcomeStatus.Failed => JsonLog.Error,
        OutcomeStatus.Capped or OutcomeStatus.Rejected => JsonLog.Warn,
        _ => JsonLog.Info,
    };
}
