using Remediators.Core.Blocklist;

namespace Remediators.Tests.Blocklist;

/// <summary>Pins the rule-number range edges, which of our entries is replaced first, and what counts as already denied.</summary>
public sealed class NaclDenyPlannerBoundaryTests
{
    private const string Acl = "acl-1";
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly NaclRuleRange Range = new(3, 5);

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public void Contains_HoldsExactlyTheNumbersFromFirstToLast(int ruleNumber, bool expected) =>
        Assert.Equal(expected, Range.Contains(ruleNumber));

    [Fact]
    public void PlanDenials_WhenTheRangeIsFull_ReplacesOurOldestEntryFirst()
    {
        NaclEntry[] entries = [new(3, false, true, "192.0.2.3/32"), new(4, false, true, "192.0.2.4/32"), new(5, false, true, "192.0.2.5/32")];
        OwnedNaclRule[] owned = [new(Acl, 3, "192.0.2.3/32", Now.AddHours(2)), new(Acl, 4, "192.0.2.4/32", Now), new(Acl, 5, "192.0.2.5/32", Now.AddHours(1))];

        var steps = NaclDenyPlanner.PlanDenials(entries, owned, ["198.51.100.1/32", "198.51.100.2/32"], Range);

        Assert.Equal<NaclStep>([new NaclStep.Replace("198.51.100.1/32", owned[1]), new NaclStep.Replace("198.51.100.2/32", owned[2])], steps);
    }

    [Fact]
    public void PlanDenials_OurEntriesAddedAtTheSameTime_AreReplacedInRuleNumberOrder()
    {
        NaclEntry[] entries = [new(3, false, true, "192.0.2.3/32"), new(4, false, true, "192.0.2.4/32"), new(5, false, true, "192.0.2.5/32")];
        OwnedNaclRule[] owned = [new(Acl, 5, "192.0.2.5/32", Now), new(Acl, 3, "192.0.2.3/32", Now), new(Acl, 4, "192.0.2.4/32", Now)];

        var steps = NaclDenyPlanner.PlanDenials(entries, owned, ["198.51.100.1/32"], Range);

        Assert.Equal<NaclStep>([new NaclStep.Replace("198.51.100.1/32", owned[1])], steps);
    }

    [Fact]
    public void PlanDenials_AnAllowEntryForTheSameCidrInTheRange_IsNotADenial()
    {
        NaclEntry[] entries = [new(3, false, false, "192.0.2.1/32")];

        var steps = NaclDenyPlanner.PlanDenials(entries, [], ["192.0.2.1/32"], Range);

        Assert.Equal<NaclStep>([new NaclStep.Create("192.0.2.1/32", 4)], steps);
    }

    [Fact]
    public void PlanDenials_ADenyForTheSameCidrOutsideTheRange_IsNotOurs()
    {
        NaclEntry[] entries = [new(6, false, true, "192.0.2.1/32")];

        var steps = NaclDenyPlanner.PlanDenials(entries, [], ["192.0.2.1/32"], Range);

        Assert.Equal<NaclStep>([new NaclStep.Create("192.0.2.1/32", 3)], steps);
    }

    [Fact]
    public void PlanDenials_AFullAclWithNoneOfOurEntries_SaysTheQuotaIsReached()
    {
        var steps = NaclDenyPlanner.PlanDenials([], [], ["192.0.2.1/32"], Range, aclFull: true);

        Assert.Equal<NaclStep>(
            [new NaclStep.NoRoom("192.0.2.1/32", "the network ACL has reached its entry quota and holds none of our entries to replace")], steps);
    }
}
