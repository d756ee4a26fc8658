using System.Text.RegularExpressions;
using static Remediators.IntegrationTests.Resilience.Scenario.ScenarioFunctions;

namespace Remediators.IntegrationTests.Resilience.Scenario.EndState;

/// <summary>
/// One function's expected effect on the <see cref="ScenarioState"/> lines it owns, replayed from the scenario's seed and each
/// event's <see cref="EventFacts"/>: written from the documented behaviour, never from the code under test.
/// </summary>
public interface IEndStateRules
{
    /// <summary>Whether the function may write the resource this snapshot line shows.</summary>
    bool Owns(string line);

    /// <summary>What the event (and what a person did before it) leaves in the lines this function owns.</summary>
    void Apply(ScenarioEvent scenarioEvent);

    /// <summary>The owned lines at the end; <see cref="ExpectedState.Any"/> stands for what the scenario cannot know (wall-clock time, numbering).</summary>
    IEnumerable<string> Expected();
}

/// <summary>The state a run of events must end in: every function's rules, and every line no function owns as it was seeded.</summary>
public static class ExpectedState
{
    /// <summary>In an expected line: any text.</summary>
    public const string Any = "{*}";

    public static IReadOnlyList<string> For(ScenarioAccount account, IReadOnlyList<ScenarioEvent> events, IReadOnlyList<string> initial)
    {
        var blocklist = new BlocklistModel(initial);
        var rules = new Dictionary<string, IEndStateRules>
        {
            [Revoker] = new RevokerEndState(initial),
            [Disabler] = new DisablerEndState(initial),
            [Enforcer] = new EnforcerEndState(account, initial),
            [Blocker] = new BlockerEndState(blocklist),
            [Pruner] = new PrunerEndState(blocklist),
        };
        foreach (var scenarioEvent in events)
            rules[scenarioEvent.Function].Apply(scenarioEvent);
        var untouched = initial.Where(line => !rules.Values.Any(r => r.Owns(line)));
        // The blocker and the pruner share one model of the blocklist.
        return [.. untouched, .. rules[Revoker].Expected(), .. rules[Disabler].Expected(), .. rules[Enforcer].Expected(), .. blocklist.Expected()];
    }

    /// <summary>Expected lines no actual line matches, and actual lines no expected line accounts for (each line matched once).</summary>
    public static (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected) Compare(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var unmatched = actual.ToList();
        var missing = new List<string>();
        // Exact lines first, so a pattern does not take the line an exact one needs.
        foreach (var line in expected.OrderBy(l => l.Contains(Any, StringComparison.Ordinal)))
        {
            var pattern = new Regex("^" + Regex.Escape(line).Replace(Regex.Escape(Any), ".*", StringComparison.Ordinal) + "$");
            var index = unmatched.FindIndex(pattern.IsMatch);
            if (index < 0)
                missing.Add(line);
            else
                unmatched.RemoveAt(index);
        }
        return (missing, unmatched);
    }
}
