using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Remediators.Core.Blocklist;

namespace Remediators.Tests.Blocklist;

public sealed class IpSetPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, DateTimeOffset> NoRecords = [];

    [Fact]
    public void Add_KeepsWhatTheSetHoldsAndAddsOnlyWhatIsMissing_ComparingCanonicalForms()
    {
        var edit = IpSetPlanner.Add(["192.0.2.1/32", "2001:DB8:0::1/128"], [new("2001:db8::1/128", Now), new("192.0.2.2/32", Now)], NoRecords);

        Assert.Equal(["192.0.2.1/32", "2001:DB8:0::1/128", "192.0.2.2/32"], edit.Addresses);
        Assert.Equal(["192.0.2.2/32"], edit.Added);
        Assert.Equal(["2001:db8::1/128"], edit.AlreadyPresent);
    }

    [Fact]
    public void Add_WhenTheSetWouldOverflow_EvictsOurEntriesThatExpireSoonest_NeverOthers()
    {
        var ours = new Dictionary<string, DateTimeOffset> { ["10.0.0.1/32"] = Now.AddHours(1), ["10.0.0.2/32"] = Now.AddHours(5) };

        var edit = IpSetPlanner.Add(["10.0.0.9/32", "10.0.0.2/32", "10.0.0.1/32"], [new("10.0.0.3/32", Now.AddHours(24))], ours, capacity: 3);

        Assert.Equal(["10.0.0.1/32"], edit.Evicted);
        Assert.Equal(["10.0.0.9/32", "10.0.0.2/32", "10.0.0.3/32"], edit.Addresses);
    }

    [Fact]
    public void Add_WhenOnlyOthersEntriesFillTheSet_RefusesTheNewAddress()
    {
        var edit = IpSetPlanner.Add(["10.0.0.8/32", "10.0.0.9/32"], [new("10.0.0.3/32", Now)], NoRecords, capacity: 2);

        Assert.Equal(["10.0.0.3/32"], edit.RefusedFull);
        Assert.False(edit.ChangesSet);
    }

    [Fact]
    public void Remove_TakesOutOnlyTheExpiredAddresses_AndMayEmptyTheSet()
    {
        Assert.Empty(IpSetPlanner.Remove(["10.0.0.1/32"], new HashSet<string> { "10.0.0.1/32" }).Addresses);
        Assert.Equal(["10.0.0.2/32"], IpSetPlanner.Remove(["10.0.0.1/32", "10.0.0.2/32"], new HashSet<string> { "10.0.0.1/32" }).Addresses);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public bool Add_NeverPassesCapacity_NeverDropsOthersEntries_AndEvictsOnlyEntriesExpiringNoLaterThanAnyKept(Scenario scenario)
    {
        var (current, additions, ours, capacity) = scenario;
        var edit = IpSetPlanner.Add(current, additions, ours, capacity);
        var kept = edit.Addresses.ToHashSet();
        var othersKept = current.Where(c => !ours.ContainsKey(c)).All(kept.Contains);
        // A re-sighted address's block ends at its new expiry (the blocker records sightings before it writes the set).
        var expiry = ours.ToDictionary();
        foreach (var addition in additions)
            expiry[addition.Cidr] = expiry.TryGetValue(addition.Cidr, out var recorded) && recorded > addition.ExpiresAt ? recorded : addition.ExpiresAt;
        var evictedExpiries = edit.Evicted.Select(c => expiry[c]).ToList();
        var keptExpiries = kept.Where(expiry.ContainsKey).Select(c => expiry[c]);
        return kept.Count <= Math.Max(capacity, current.Count)
            && othersKept
            && (evictedExpiries.Count == 0 || evictedExpiries.Max() <= keptExpiries.DefaultIfEmpty(DateTimeOffset.MaxValue).Min())
            && additions.All(a => kept.Contains(a.Cidr) || edit.RefusedFull.Contains(a.Cidr));
    }

    public sealed record Scenario(IReadOnlyList<string> Current, IReadOnlyList<IpSetAddition> Additions, IReadOnlyDictionary<string, DateTimeOffset> Ours, int Capacity);

    public static class Arbitraries
    {
        public static Arbitrary<Scenario> Scenarios() => (
            from capacity in Gen.Choose(1, 12)
            from present in Gen.Choose(0, 12)
            from oursFlags in Gen.ArrayOf(Gen.Elements(true, false), present)
            from expiries in Gen.ArrayOf(Gen.Choose(0, 48), present)
            from newCount in Gen.Choose(0, 8)
            from newHosts in Gen.ArrayOf(Gen.Choose(0, 30), newCount)
            let current = Enumerable.Range(0, Math.Min(present, capacity)).Select(i => $"10.0.0.{i}/32").ToList()
            let ours = current.Where((_, i) => oursFlags[i]).ToDictionary(c => c, c => Now.AddHours(expiries[current.IndexOf(c)]))
            select new Scenario(current, [.. newHosts.Distinct().Select(h => new IpSetAddition($"10.0.0.{h}/32", Now.AddHours(24)))], ours, capacity)).ToArbitrary();
    }

    [Fact]
    public void Add_ByDefault_NeverPassesWafsTenThousandAddresses()
    {
        var full = Enumerable.Range(0, 9_999).Select(i => $"11.0.{i / 256}.{i % 256}/32").ToList();

        var edit = IpSetPlanner.Add(full, [new("203.0.113.1/32", Now), new("203.0.113.2/32", Now.AddHours(1))], NoRecords);

        Assert.Equal(10_000, edit.Addresses.Count);
        Assert.Equal(["203.0.113.2/32"], edit.Added);
        Assert.Equal(["203.0.113.1/32"], edit.RefusedFull);
    }
}
