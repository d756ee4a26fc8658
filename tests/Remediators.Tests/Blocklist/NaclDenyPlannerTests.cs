using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Remediators.Core.Blocklist;

namespace Remediators.Tests.Blocklist;

public sealed class NaclDenyPlannerTests
{
    private const string Acl = "acl-1";
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly NaclRuleRange Range = new(3, 5);

    [Fact]
    public void PlanDenials_UsesFreeNumbersInTheRange_ThenReplacesOurOldestEntry()
    {
        NaclEntry[] entries = [new(3, false, true, "192.0.2.1/32"), new(4, false, false, "10.0.0.0/8"), new(100, false, false, "0.0.0.0/0")];
        OwnedNaclRule[] owned = [new(Acl, 3, "192.0.2.1/32", Now)];

        var steps = NaclDenyPlanner.PlanDenials(entries, owned, ["192.0.2.2/32", "192.0.2.3/32", "192.0.2.4/32"], Range);

        Assert.Equal<NaclStep>([
            new NaclStep.Create("192.0.2.2/32", 5),
            new NaclStep.Replace("192.0.2.3/32", owned[0]),
            new NaclStep.NoRoom("192.0.2.4/32", "every rule number in 3-5 is taken by entries this suite does not own"),
        ], steps);
    }

    [Fact]
    public void PlanDenials_AnAddressAlreadyDeniedInTheRange_IsNotAddedAgain() =>
        Assert.Equal([new NaclStep.AlreadyDenied("192.0.2.1/32", 4)],
            NaclDenyPlanner.PlanDenials([new(4, false, true, "192.0.2.1/32")], [], ["192.0.2.1/32"], Range));

    [Fact]
    public void PlanDenials_WhenTheAclReachedItsQuota_OnlyReplacesOneOfOurs()
    {
        OwnedNaclRule[] owned = [new(Acl, 5, "192.0.2.1/32", Now)];

        var steps = NaclDenyPlanner.PlanDenials([new(5, false, true, "192.0.2.1/32")], owned, ["192.0.2.9/32"], Range, aclFull: true);

        Assert.Equal([new NaclStep.Replace("192.0.2.9/32", owned[0])], steps);
    }

    [Fact]
    public void PlanRemovals_DeletesOurExpiredEntries_NotOnesChangedByOthersSince()
    {
        NaclEntry[] entries = [new(3, false, true, "192.0.2.1/32"), new(4, false, false, "192.0.2.2/32")];
        OwnedNaclRule[] owned = [new(Acl, 3, "192.0.2.1/32", Now), new(Acl, 4, "192.0.2.2/32", Now)];

        var removals = NaclDenyPlanner.PlanRemovals(entries, owned, new HashSet<string> { "192.0.2.1/32", "192.0.2.2/32" }, Range);

        Assert.Equal([new NaclStep.Delete("192.0.2.1/32", owned[0])], removals);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public bool PlanDenials_StaysInTheRange_TouchesOnlyOurEntries_AndNeverDeniesAnAddressTwice(Scenario scenario)
    {
        var (entries, owned, cidrs) = scenario;
        var steps = NaclDenyPlanner.PlanDenials(entries, owned, cidrs, Range);
        var creates = steps.OfType<NaclStep.Create>().ToList();
        var replaces = steps.OfType<NaclStep.Replace>().ToList();
        var ours = NaclDenyPlanner.StillOurs(entries, owned, Range).ToHashSet();
        var usedBefore = entries.Where(e => !e.Egress).Select(e => e.RuleNumber).ToHashSet();
        var numbers = creates.Select(c => c.RuleNumber).Concat(replaces.Select(r => r.Previous.RuleNumber)).ToList();
        return numbers.All(Range.Contains)
            && numbers.Distinct().Count() == numbers.Count
            && creates.All(c => !usedBefore.Contains(c.RuleNumber))
            && replaces.All(r => ours.Contains(r.Previous))
            && steps.Where(s => s is NaclStep.Create or NaclStep.Replace).Select(s => s.Cidr).Distinct().Count() == creates.Count + replaces.Count
            && steps.Where(s => s is NaclStep.Create or NaclStep.Replace)
                .All(s => !entries.Any(e => !e.Egress && e.IsDeny && Range.Contains(e.RuleNumber) && e.Cidr == s.Cidr));
    }

    public sealed record Scenario(IReadOnlyList<NaclEntry> Entries, IReadOnlyList<OwnedNaclRule> Owned, IReadOnlyList<string> Cidrs);

    public static class Arbitraries
    {
        private static readonly Gen<string> Cidr = Gen.Choose(1, 6).Select(i => $"192.0.2.{i}/32");

        public static Arbitrary<Scenario> Scenarios() => (
            from entries in Gen.ArrayOf(
                from number in Gen.Choose(1, 8)
                from egress in Gen.Elements(false, false, true)
                from deny in Gen.Elements(true, false)
                from cidr in Cidr
                select new NaclEntry(number, egress, deny, cidr))
            from ownedNumbers in Gen.SubListOf(Enumerable.Range(1, 8).ToArray())
            from ownedCidrs in Gen.ArrayOf(Cidr, ownedNumbers.Count)
            from cidrs in Gen.ArrayOf(Cidr)
            let unique = entries.DistinctBy(e => (e.RuleNumber, e.Egress)).ToList()
            select new Scenario(unique, [.. ownedNumbers.Select((n, i) => new OwnedNaclRule(Acl, n, ownedCidrs[i], Now.AddMinutes(-n)))], cidrs)).ToArbitrary();
    }
}
