namespace Remediators.Local.Demo;

/// <summary>
/// Compares the account (or each account and region) before and after the demo with what was expected, and prints it in at
/// most 100 columns, under a heading per account and region when the resources name one.
/// </summary>
internal sealed class StateTable(IReadOnlyList<ResourceState> before, IReadOnlyList<ResourceState> after, IReadOnlyList<ExpectedItem> expectedChanges, bool dryRun)
{
    public const int Width = 100;
    private const int ItemWidth = 50;
    private const int ValueWidth = 12;

    /// <summary>Expected changes that did not happen (or, in a dry run, any change at all).</summary>
    public int Missing { get; private set; }

    /// <summary>Changes nobody expected.</summary>
    public int Unexpected { get; private set; }

    public int ChangesMade { get; private set; }

    public void Write(TextWriter output)
    {
        // A dry run must change nothing; its last column shows what an enforce run would do instead.
        output.WriteLine(Row("Resource / item", "Before", "After", dryRun ? "Enforce plan" : "Expected", ""));
        output.WriteLine(new string('-', Width));
        var expected = expectedChanges.ToDictionary(e => (e.Place, e.Resource, e.Item), e => e.Value);
        foreach (var place in before.Concat(after).Select(r => (r.Place, r.Resource)).Distinct().GroupBy(r => r.Place))
        {
            if (place.Key.Length > 0)
                output.WriteLine(Fit($"== {place.Key} ==", Width));
            foreach (var (_, resource) in place)
                WriteResource(output, place.Key, resource, expected);
        }
    }

    private void WriteResource(TextWriter output, string place, string resource, Dictionary<(string, string, string), string> expected)
    {
        output.WriteLine(Fit(resource, Width));
        var was = Items(before, place, resource);
        var now = Items(after, place, resource);
        var planned = expectedChanges.Where(e => e.Place == place && e.Resource == resource).Select(e => e.Item);
        foreach (var item in was.Keys.Concat(now.Keys).Concat(planned).Distinct())
        {
            var beforeValue = was.GetValueOrDefault(item, ExpectedItem.Absent);
            var afterValue = now.GetValueOrDefault(item, ExpectedItem.Absent);
            var isExpectedChange = expected.TryGetValue((place, resource, item), out var changed);
            var plannedValue = isExpectedChange ? changed! : beforeValue;
            var expectedValue = dryRun ? beforeValue : plannedValue;
            if (afterValue != beforeValue)
                ChangesMade++;
            if (afterValue != expectedValue && isExpectedChange && !dryRun)
                Missing++;
            else if (afterValue != expectedValue)
                Unexpected++;
            output.WriteLine(Row("  " + item, beforeValue, afterValue, plannedValue, afterValue == expectedValue ? "ok" : "FAIL"));
        }
    }

    private static Dictionary<string, string> Items(IReadOnlyList<ResourceState> states, string place, string resource) =>
        states.FirstOrDefault(s => s.Place == place && s.Resource == resource)?.Items.ToDictionary() ?? [];

    private static string Row(string item, string before, string after, string expected, string mark) =>
        $"{Fit(item, ItemWidth),-ItemWidth} {Fit(before, ValueWidth),-ValueWidth} {Fit(after, ValueWidth),-ValueWidth} {Fit(expected, ValueWidth),-ValueWidth} {mark}".TrimEnd();

    private static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "~";
}
