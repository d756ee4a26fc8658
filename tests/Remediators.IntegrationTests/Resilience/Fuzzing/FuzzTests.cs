using System.Text;
using Amazon.Runtime;
using Remediators.Bench.Proxy;
using Remediators.Core.Remediation;
using static Remediators.IntegrationTests.Resilience.Scenario.ScenarioFunctions;

namespace Remediators.IntegrationTests.Resilience.Fuzzing;

/// <summary>
/// Ten thousand mutants of each function's sample events, run in process in enforce mode against a seeded account through
/// the counting proxy: no mutant may make the function throw, a rejected one may make no AWS call at all, and for any other
/// every write must be a change its outcome reports (or the blocklist's bookkeeping) and every reported change a write. Two lanes run side by side, each signing with its own key so the proxy
/// tells their calls apart; each lane's mutants follow from its seed, which a failure names with the mutant.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class FuzzTests(SeededMoto seeded) : IClassFixture<SeededMoto>
{
    private const int Lanes = 2;
    private const int MaxProblemsShown = 5;
    private const int MutantsPerFunction = 10_000;

    [Theory]
    [InlineData(Revoker, 1101)]
    [InlineData(Disabler, 2202)]
    [InlineData(Enforcer, 3303)]
    [InlineData(Blocker, 4404)]
    [InlineData(Pruner, 5505)]
    public async Task Mutants_NeitherCrashNorChangeWhatTheyDoNotReport(string function, int seed)
    {
        await using var proxy = await seeded.Moto.StartProxyAsync(FaultPlan.None);
        var lanes = await Task.WhenAll(Enumerable.Range(0, Lanes).Select(async lane =>
            await RunLaneAsync(function, seed * 10 + lane, proxy, await seeded.SigningKeyAsync($"fuzz-lane-{lane}"), MutantsPerFunction / Lanes)));

        var problems = lanes.SelectMany(l => l.Problems).ToList();
        Assert.True(problems.Count == 0, $"{function}:\n{string.Join("\n", problems)}");
        var (rejected, changed) = (lanes.Sum(l => l.Rejected), lanes.Sum(l => l.Changed));
        Assert.True(rejected >= MutantsPerFunction / 2 && changed > 0,
            $"{function}: {rejected} mutants rejected, {changed} made changes; the mutants miss what the function reads");
    }

    private async Task<LaneResult> RunLaneAsync(string function, int seed, AwsProxy proxy, BasicAWSCredentials key, int mutants)
    {
        // No exemption tag: its lookups would double the calls of the few mutants that get past parsing.
        var remediation = Create(function, seeded.Account, seeded.Moto.ClientsThrough(proxy, key), RemediationMode.Enforce, tagExemptions: false);
        var accessKeyId = key.GetCredentials().AccessKey;
        var samples = FuzzSamples.For(function, seeded.Account);
        var random = new Random(seed);
        var mutator = new EventMutator(random, FuzzSamples.SchemaPaths(function));
        var result = new LaneResult();
        for (var i = 0; i < mutants && result.Problems.Count < MaxProblemsShown; i++)
        {
            var mutant = mutator.Mutate(samples[random.Next(samples.Count)]);
            Outcome? outcome = null;
            string? problem = null;
            try
            {
                outcome = await remediation.RunAsync(mutant, Context($"mutant-{seed}-{i}"), CancellationToken.None);
            }
            catch (Exception error)
            {
                problem = $"threw {error.GetType().Name}: {error.Message}";
            }
            var calls = proxy.TakeCalls(accessKeyId);
            var writes = calls.Where(c => c.Operation.IsMutating).Select(c => c.Operation.Name).ToList();
            if (outcome is not null && IsWhollyRejected(outcome) && calls.Count > 0)
                problem = $"was rejected ({outcome.Reason}) yet called {string.Join(", ", calls.Select(c => c.Operation.Name))}";
            else if (outcome is not null && ReportedWrites.Mismatch(function, outcome, calls) is { } mismatch)
                problem = $"{mismatch}: {outcome.Status} {outcome.Reason}";
            if (problem is not null)
                result.Problems.Add($"seed {seed}, mutant {i} {problem}\n  {Shown(mutant)}");
            result.Rejected += outcome is not null && IsWhollyRejected(outcome) ? 1 : 0;
            result.Changed += writes.Count > 0 ? 1 : 0;
        }
        return result;
    }

    /// <summary>Rejected as a whole: an event, or a batch whose every message was (a batch with one bad message is Rejected too).</summary>
    private static bool IsWhollyRejected(Outcome outcome) =>
        outcome.Status == OutcomeStatus.Rejected && outcome.Resources.All(r => r.Status == OutcomeStatus.Rejected);

    private static string Shown(byte[] mutant)
    {
        var text = Encoding.UTF8.GetString(mutant);
        return text.Length <= 2000 ? text : $"{text[..2000]}... ({text.Length} characters)";
    }

    private sealed class LaneResult
    {
        public List<string> Problems { get; } = [];

        public int Rejected { get; set; }

        public int Changed { get; set; }
    }
}
