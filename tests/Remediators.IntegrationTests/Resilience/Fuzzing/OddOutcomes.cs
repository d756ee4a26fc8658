using Remediators.Core.Remediation;

namespace Remediators.IntegrationTests.Resilience.Fuzzing;

/// <summary>
/// Outcome records with the text a hostile or broken event (or AWS answer) can put in them: resource ids, reasons, change
/// targets, undo values, error codes, regions; empty and very long strings, JSON and markup, control characters, line
/// separators, emoji, combining and right-to-left marks, lone surrogates; none, a few or thousands of resources. Undo and
/// count names are the functions' own constants, so they come from a fixed list. Each record follows from its seed.
/// </summary>
public static class OddOutcomes
{
    private static readonly string[] Fragments =
    [
        "", " ", "sg-0123456789abcdef0", "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/x/1", "{\"a\":", "\"}]}", "\\", "\\u0000",
        "\0", "\u0001\u001f", "\r\n", "\u2028\u2029", "\u200f\u202e", "e\u0301", "\ud83d\udd25", "\ud800", "\udfff", "💥🚨", "日本語",
        "</script><script>", "{0}", "%s%n", "To undo: aws ec2 revoke", "\t", "\uFEFF", "\uFFFF",
    ];

    private static readonly string[] UndoNames = ["groupId", "ruleId", "cidr", "bucket", "previousPolicy", "userName", "accessKeyId"];

    private static readonly string[] CountNames = ["AddressesAdded", "AddressesAlreadyPresent", "IpSetWrites", "NaclEntriesAdded", "AddressesExpired"];

    private static readonly OutcomeStatus[] Statuses = Enum.GetValues<OutcomeStatus>();

    public static Outcome Make(Random random, string eventId)
    {
        var resources = Enumerable.Range(0, random.Next(12) == 0 ? random.Next(200, 1500) : random.Next(4)).Select(_ => Resource(random)).ToList();
        var counts = random.GetItems(CountNames, random.Next(3)).Distinct().ToDictionary(k => k, _ => (long)random.Next(-1, 1000));
        return new Outcome(Pick(random, Scenario.ScenarioFunctions.All), eventId, random.Next(3) == 0 ? null : "123456789012", random.Next(3) == 0 ? null : Text(random, 30),
            resources.Count > 0 ? Outcome.Summarize(resources) : Pick(random, Statuses), Text(random, random.Next(15) == 0 ? 300_000 : 200),
            random.Next(4) == 0, resources, counts, 0);
    }

    private static ResourceResult Resource(Random random)
    {
        var changes = Enumerable.Range(0, random.Next(3)).Select(_ => new Change(Text(random, 30), Text(random, 80), Text(random, 200),
            random.GetItems(UndoNames, random.Next(3)).Distinct().ToDictionary(k => k, _ => Text(random, 100)), Text(random, 300))).ToList();
        var result = new ResourceResult(Text(random, random.Next(20) == 0 ? 5_000 : 60), Pick(random, Statuses), Text(random, 200), changes);
        return result.Status == OutcomeStatus.Failed && random.Next(2) == 0 ? result with { Error = Text(random, 30) } : result;
    }

    /// <summary>Fragments joined up to about <paramref name="length"/> characters; a long one repeats a fragment.</summary>
    private static string Text(Random random, int length)
    {
        if (length > 1000)
            return string.Concat(Enumerable.Repeat(Pick(random, Fragments) + "x", length / 2));
        var parts = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Pick(random, Fragments));
        var text = string.Concat(parts);
        return text.Length <= length ? text : text[..length];
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];
}
