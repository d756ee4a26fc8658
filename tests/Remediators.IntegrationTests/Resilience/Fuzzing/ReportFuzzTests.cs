using System.Text.Json;
using System.Text.Json.Nodes;
using Remediators.Bench.Proxy;
using Remediators.Core.Hosting;
using Remediators.Core.Notifications;
using Remediators.Core.Remediation;
using Remediators.Local.Emulator;

namespace Remediators.IntegrationTests.Resilience.Fuzzing;

/// <summary>
/// The Report step under odd outcome records (<see cref="OddOutcomes"/>): the real handler serialises, logs and publishes
/// each one to a topic and an event bus on moto, through the proxy. Nothing may throw but the failure the handler raises
/// after reporting failed resources; the log line and the answer must carry the whole record as it was; every record must
/// reach the bus (fitted to its size limit) and, for the statuses people are told of, the topic.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class ReportFuzzTests(ResilienceMoto moto) : IClassFixture<ResilienceMoto>
{
    private const int Seed = 6606;
    private const int Outcomes = 100;
    private const int MaxProblemsShown = 5;

    [Fact]
    public async Task OddOutcomeRecords_AreLoggedAnsweredAndPublishedWhole()
    {
        var targets = await OutcomeTargets.CreateAsync(moto.Clients, ResilienceMoto.Region, "fuzzed-outcomes", CancellationToken.None);
        await using var proxy = await moto.StartProxyAsync(FaultPlan.None);
        var settings = OutcomePublishingSettings.FromEnvironment(new EnvironmentSettings(name => targets.Variables.GetValueOrDefault(name)));
        var publisher = OutcomePublisher.FromSettings(settings, moto.ClientsThrough(proxy));
        var random = new Random(Seed);
        var problems = new List<string>();
        var sent = new List<Outcome>();
        for (var i = 0; i < Outcomes && problems.Count < MaxProblemsShown; i++)
        {
            var outcome = OddOutcomes.Make(random, $"odd-{i}");
            sent.Add(outcome);
            if (await ReportAsync(outcome, publisher) is { } problem)
                problems.Add($"seed {Seed}, outcome {i} ({outcome.Status}, {outcome.Resources.Count} resources): {problem}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var published = (await targets.TakeOutcomeEventsAsync(CancellationToken.None)).Select(e => JsonNode.Parse(e)!["detail"]!).ToList();
        var missing = sent.Where(o => published.Count(d => d["eventId"]?.GetValue<string>() == o.EventId && d["status"]?.GetValue<string>() == o.Status.ToString()) != 1).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {sent.Count} records did not reach the bus once: {string.Join(", ", missing.Take(10).Select(o => o.EventId))}");
        var notified = (await targets.TakeNotificationsAsync(CancellationToken.None)).Select(n => JsonNode.Parse(n)!["Message"]!.GetValue<string>()).ToList();
        var unnotified = sent.Where(o => settings.NotifyStatuses.Contains(o.Status) && notified.Count(m => m.Contains($"Event {o.EventId}.", StringComparison.Ordinal)) != 1).ToList();
        Assert.True(unnotified.Count == 0, $"{unnotified.Count} records did not reach the topic once: {string.Join(", ", unnotified.Take(10).Select(o => o.EventId))}");
    }

    /// <summary>Runs the Report step on <paramref name="outcome"/>; what went wrong, or null.</summary>
    private static async Task<string?> ReportAsync(Outcome outcome, OutcomePublisher publisher)
    {
        var log = new StringWriter();
        var handler = new RemediationHandler(new Answering(outcome), publisher, TimeProvider.System, log);
        byte[]? answer = null;
        try
        {
            answer = await handler.HandleAsync(ReadOnlyMemory<byte>.Empty, new InvocationContext(outcome.EventId, DateTimeOffset.UtcNow.AddMinutes(5), null, null), CancellationToken.None);
        }
        catch (ResourcesFailedException) when (outcome.Errors.Count > 0)
        {
            // Raised after the outcome was reported, so Lambda retries the invocation.
        }
        catch (Exception error)
        {
            return $"the report step threw {error.GetType().Name}: {error.Message}";
        }

        var expected = Json(outcome);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var parsed = new List<JsonNode>();
        foreach (var line in lines)
        {
            try
            {
                parsed.Add(JsonNode.Parse(line)!);
            }
            catch (JsonException error)
            {
                return $"logged a line that is not JSON ({error.Message}): {line[..Math.Min(line.Length, 300)]}";
            }
        }
        if (parsed.FirstOrDefault(l => l["message"]?.GetValue<string>().StartsWith("The outcome was not published", StringComparison.Ordinal) == true) is { } unpublished)
            return unpublished["message"]!.GetValue<string>();
        var logged = parsed.Where(l => l["outcome"] is not null).ToList();
        if (logged.Count != 1)
            return $"logged {logged.Count} outcome lines";
        if (Json(logged[0]["outcome"]!.ToJsonString()) is var record && record != expected)
            return $"the logged record differs from the outcome: {Difference(expected, record)}";
        if (answer is not null && Json(System.Text.Encoding.UTF8.GetString(answer)) != expected)
            return "the answer differs from the outcome";
        return null;
    }

    private static string Difference(string expected, string actual)
    {
        var at = expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count();
        string Near(string text) => text.Substring(Math.Max(0, at - 80), Math.Min(200, text.Length - Math.Max(0, at - 80)));
        return $"at character {at}, expected ...{Near(expected)}... but found ...{Near(actual)}...";
    }

    private static string Json(Outcome outcome) => JsonSerializer.Serialize(outcome with { DurationMs = 0 }, RemediationJsonContext.Default.Outcome);

    private static string Json(string record) => Json(JsonSerializer.Deserialize(record, RemediationJsonContext.Default.Outcome)!);

    private sealed class Answering(Outcome outcome) : IRemediation
    {
        public string FunctionName => outcome.Function;

        public bool DryRun => outcome.DryRun;

        public Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken) => Task.FromResult(outcome);
    }
}
