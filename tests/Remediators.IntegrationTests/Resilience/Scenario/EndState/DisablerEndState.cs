namespace Remediators.IntegrationTests.Resilience.Scenario.EndState;

/// <summary>
/// The key disabler in enforce mode with the scenario's settings (unused = never used and created more than 90 days ago; at
/// most 2 keys a run; users exempt by tag, path or name): a scan deactivates the 2 oldest active unused keys of users not
/// exempt; a Config check deactivates its user's unused keys; a GuardDuty finding deactivates its long-term key unless
/// its user is exempt. Keys are never deleted; a person turning a key back on (the event's Before) makes it active.
/// </summary>
public sealed class DisablerEndState : IEndStateRules
{
    private const int MaxKeysPerRun = 2;
    private static readonly string[] ExemptUsers = ["tagged", "service", "break-glass"];

    private readonly List<string> _other;
    private readonly Dictionary<string, string> _status = [];

    public DisablerEndState(IReadOnlyList<string> initial)
    {
        var owned = initial.Where(Owns).ToList();
        foreach (var seed in ScenarioSeeding.KeySeeds)
            _status[seed.Key] = owned.Contains($"user {seed.User}: key {seed.Key} Active") ? "Active" : "Inactive";
        _other = [.. owned.Where(line => !line.Contains(": key ", StringComparison.Ordinal))];
    }

    public bool Owns(string line) => line.StartsWith("user ", StringComparison.Ordinal);

    public void Apply(ScenarioEvent scenarioEvent)
    {
        var facts = scenarioEvent.Facts;
        if (facts.Reactivated is { } reactivated)
            _status[reactivated] = "Active";
        var deactivate = facts.Sample switch
        {
            "scheduled-scan.json" => Unused().OrderByDescending(k => k.DaysAgo).Take(MaxKeysPerRun).Select(k => k.Key),
            "config-unused-credentials-noncompliant.json" => Unused().Where(k => k.User == facts.Target).Take(MaxKeysPerRun).Select(k => k.Key),
            "guardduty-compromised-long-term-key.json" => ScenarioSeeding.KeySeeds.Where(k => k.Key == facts.Target && !ExemptUsers.Contains(k.User)).Select(k => k.Key),
            _ => [],
        };
        foreach (var key in deactivate.ToList())
            _status[key] = "Inactive";
    }

    public IEnumerable<string> Expected() =>
        [.. _other, .. ScenarioSeeding.KeySeeds.Select(k => $"user {k.User}: key {k.Key} {_status[k.Key]}")];

    private IEnumerable<(string Key, string User, int DaysAgo, bool Used)> Unused() =>
        ScenarioSeeding.KeySeeds.Where(k => !k.Used && k.DaysAgo > 90 && _status[k.Key] == "Active" && !ExemptUsers.Contains(k.User));
}
