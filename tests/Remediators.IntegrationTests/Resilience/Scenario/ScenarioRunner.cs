using Remediators.Bench.Proxy;
using Remediators.Core.Remediation;

namespace Remediators.IntegrationTests.Resilience.Scenario;

/// <summary>How one event ended: its last outcome (null when every attempt threw), each attempt's error, and the calls it made.</summary>
public sealed record EventResult(int Index, ScenarioEvent Event, Outcome? Outcome, IReadOnlyList<Exception> Failures, IReadOnlyList<ProxiedCall> Calls)
{
    public override string ToString() =>
        $"#{Index} {Event.Function}: {Event.Label} -> {(Outcome is { } o ? $"{o.Status} after {Failures.Count + 1} attempt(s)" : $"failed {Failures.Count} times")}" +
        string.Concat(Failures.Select(f => $"\n    {f.GetType().Name}: {f.Message}"));
}

/// <summary>
/// Runs events one after another against an account, each function in process on clients that go through the proxy, and
/// retries an event whose run throws or reports a failed resource, as Lambda retries a failed invocation. The functions are made once, as a warm
/// Lambda instance serves one invocation after another.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>Retries after the first attempt: Lambda's asynchronous invocations retry twice, SQS redelivers more; three covers both.</summary>
    public const int LambdaRetries = 3;

    private static readonly IReadOnlySet<string> ElbDenied = new HashSet<string> { "DescribeLoadBalancers" };

    public static async Task<IReadOnlyList<EventResult>> RunAsync(
        ResilienceMoto moto, ScenarioAccount account, AwsProxy proxy, IReadOnlyList<ScenarioEvent> events, RemediationMode mode = RemediationMode.Enforce)
    {
        var plan = proxy.Plan;
        var aws = moto.ClientsThrough(proxy);
        var functions = ScenarioFunctions.All.ToDictionary(f => f, f => ScenarioFunctions.Create(f, account, aws, mode));
        var results = new List<EventResult>();
        for (var index = 0; index < events.Count; index++)
        {
            var scenarioEvent = events[index];
            if (scenarioEvent.Before is { } before)
                await before(moto, account);
            proxy.Plan = plan with { DeniedOperations = scenarioEvent.DenyElb ? ElbDenied : plan.DeniedOperations };
            var payload = System.Text.Encoding.UTF8.GetBytes(scenarioEvent.Json(account));
            var failures = new List<Exception>();
            Outcome? outcome = null;
            while (outcome is null && failures.Count <= LambdaRetries)
            {
                try
                {
                    var attempt = await functions[scenarioEvent.Function].RunAsync(payload, ScenarioFunctions.Context($"event-{index}-{failures.Count}", scenarioEvent.Region), CancellationToken.None);
                    // The handler fails an invocation with a failed resource once it is reported, and Lambda retries it.
                    if (attempt.Errors.Count > 0)
                        failures.Add(new ResourcesFailedException(attempt.Errors));
                    else
                        outcome = attempt;
                }
                catch (Exception error)
                {
                    failures.Add(error);
                }
            }
            results.Add(new EventResult(index, scenarioEvent, outcome, failures, proxy.TakeCalls()));
        }
        proxy.Plan = plan;
        return results;
    }
}
