using Remediators.Bench.Proxy;
using Remediators.IntegrationTests.Resilience.Scenario;
using Remediators.IntegrationTests.Resilience.Scenario.EndState;

namespace Remediators.IntegrationTests.Resilience;

/// <summary>Two accounts seeded alike in two motos: one for a fault-free run, one for the same run under faults.</summary>
public sealed class FaultWorlds : IAsyncLifetime
{
    public const string Suffix = "faults";

    public ResilienceMoto ReferenceMoto { get; } = new();

    public ResilienceMoto FaultyMoto { get; } = new();

    public ScenarioAccount Reference { get; private set; } = null!;

    public ScenarioAccount Faulty { get; private set; } = null!;

    public IReadOnlyList<string> InitialState { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Task.WhenAll(ReferenceMoto.InitializeAsync(), FaultyMoto.InitializeAsync());
        var seeded = await Task.WhenAll(ScenarioSeeding.SeedAsync(ReferenceMoto, Suffix), ScenarioSeeding.SeedAsync(FaultyMoto, Suffix));
        (Reference, Faulty) = (seeded[0], seeded[1]);
        InitialState = await ScenarioState.ReadAsync(ReferenceMoto, Reference);
    }

    public async Task DisposeAsync() => await Task.WhenAll(ReferenceMoto.DisposeAsync(), FaultyMoto.DisposeAsync());
}

/// <summary>
/// The proxy fails 20 % of the AWS calls of 200 mixed events (5xx, throttling, connection resets before and after the call
/// reached moto); every event is retried as Lambda would. The same events in the same order run against an account seeded
/// alike with no fault. Both runs must end in the state the end-state rules (Scenario/EndState, one file per function)
/// derive from the seed and the events, line for line over everything a function can write, and the two runs must end
/// equal: so a remediation neither lost to a fault nor left undone by the code, and no write the rules do not call for.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class FaultInjectionTests(FaultWorlds worlds) : IClassFixture<FaultWorlds>
{
    private const int Seed = 20261121;
    private const int EventCount = 200;

    [Fact]
    public async Task MixedEvents_UnderTwentyPercentFaults_EndInTheStateOfAFaultFreeRun()
    {
        var events = ScenarioEvents.Mixed(EventCount, Seed);
        await using var referenceProxy = await worlds.ReferenceMoto.StartProxyAsync(FaultPlan.None);
        await using var faultyProxy = await worlds.FaultyMoto.StartProxyAsync(new FaultPlan(0.2, Seed, EnforceWafWriteQuota: false));

        var runs = await Task.WhenAll(
            ScenarioRunner.RunAsync(worlds.ReferenceMoto, worlds.Reference, referenceProxy, events),
            ScenarioRunner.RunAsync(worlds.FaultyMoto, worlds.Faulty, faultyProxy, events));
        var (reference, faulty) = (runs[0], runs[1]);

        var seed = $"seed {Seed}";
        Assert.True(reference.All(r => r.Failures.Count == 0), $"{seed}: the fault-free run failed:\n{string.Join("\n", reference.Where(r => r.Failures.Count > 0))}");
        Assert.True(faulty.All(r => r.Outcome is not null), $"{seed}: events failed every attempt:\n{string.Join("\n", faulty.Where(r => r.Outcome is null))}");
        var faults = faulty.SelectMany(r => r.Calls).Where(c => c.Fault is not null and not FaultKind.AccessDenied).GroupBy(c => c.Fault!.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(faults.Count == 4 && faults.Values.All(n => n >= 10), $"{seed}: too few faults of each kind: {string.Join(", ", faults)}");

        var expected = await ScenarioState.ReadAsync(worlds.ReferenceMoto, worlds.Reference);
        var actual = await ScenarioState.ReadAsync(worlds.FaultyMoto, worlds.Faulty);
        Assert.True(expected.Except(worlds.InitialState).Count() >= 20, $"the scenario changed too little to prove anything:\n{string.Join("\n", expected.Except(worlds.InitialState))}");
        var rules = ExpectedState.For(worlds.Reference, events, worlds.InitialState);
        AssertEndState(rules, expected, $"{seed}, fault-free run");
        AssertEndState(rules, actual, $"{seed}, faulty run");
        Assert.True(expected.SequenceEqual(actual), $"{seed}: the faulty run ended elsewhere.\nOnly in the fault-free run:\n{string.Join("\n", expected.Except(actual))}\n" +
            $"Only in the faulty run:\n{string.Join("\n", actual.Except(expected))}\nEvents retried:\n{string.Join("\n", faulty.Where(r => r.Failures.Count > 0))}");
    }

    private static void AssertEndState(IReadOnlyList<string> rules, IReadOnlyList<string> state, string run)
    {
        var (missing, unexpected) = ExpectedState.Compare(rules, state);
        Assert.True(missing.Count == 0 && unexpected.Count == 0, $"{run} did not end as the end-state rules say.\n" +
            $"Expected, not found:\n{string.Join("\n", missing)}\nFound, not expected:\n{string.Join("\n", unexpected)}");
    }
}
