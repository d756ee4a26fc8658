using Remediators.Core.Blocklist;

namespace Remediators.Tests.Blocklist;

/// <summary>Pins which entry gives way when a set overflows, and when an edit counts as a change to write.</summary>
public sealed class IpSetPlannerEvictionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, DateTimeOffset> NoRecords = [];

    [Fact]
    public void ChangesSet_AnEditThatOnlyAdds_ChangesTheSet()
    {
        var edit = IpSetPlanner.Add([], [new("192.0.2.1/32", Now)], NoRecords);

        Assert.Equal(["192.0.2.1/32"], edit.Added);
        Assert.Empty(edit.Evicted);
        Assert.True(edit.ChangesSet);
    }

    [Fact]
    public void ChangesSet_AnEditThatOnlyRemoves_ChangesTheSet()
    {
        var edit = IpSetPlanner.Remove(["192.0.2.1/32", "192.0.2.2/32"], new HashSet<string> { "192.0.2.1/32" });

        Assert.Equal(["192.0.2.1/32"], edit.Removed);
        Assert.True(edit.ChangesSet);
    }

    [Fact]
    public void ChangesSet_ASetAlreadyOverCapacity_EvictsOurSoonestEntryEvenWhenNothingIsAdded()
    {
        var ours = new Dictionary<string, DateTimeOffset> { ["10.0.0.1/32"] = Now.AddHours(1), ["10.0.0.2/32"] = Now.AddHours(2) };

        var edit = IpSetPlanner.Add(["10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32"], [new("10.0.0.3/32", Now)], ours, capacity: 2);

        Assert.Empty(edit.Added);
        Assert.Equal(["10.0.0.1/32"], edit.Evicted);
        Assert.Equal(["10.0.0.2/32", "10.0.0.3/32"], edit.Addresses);
        Assert.True(edit.ChangesSet);
    }

    [Fact]
    public void ChangesSet_AnEditThatOnlyFindsAddressesPresent_DoesNotChangeTheSet()
    {
        var edit = IpSetPlanner.Add(["192.0.2.1/32"], [new("192.0.2.1/32", Now)], NoRecords);

        Assert.False(edit.ChangesSet);
    }

    [Fact]
    public void Add_TheSameAddressTwice_CompetesForRoomWithItsLatestExpiry()
    {
        var ours = new Dictionary<string, DateTimeOffset> { ["10.0.0.1/32"] = Now.AddHours(5) };

        var edit = IpSetPlanner.Add(["10.0.0.1/32"], [new("10.0.0.3/32", Now.AddHours(1)), new("10.0.0.3/32", Now.AddHours(24))], ours, capacity: 1);

        Assert.Equal(["10.0.0.1/32"], edit.Evicted);
        Assert.Equal(["10.0.0.3/32"], edit.Added);
    }

    [Fact]
    public void Add_OnEqualExpiry_EvictsOurEntryInTheSetBeforeRefusingTheNewAddress()
    {
        var ours = new Dictionary<string, DateTimeOffset> { ["10.0.0.9/32"] = Now };

        var edit = IpSetPlanner.Add(["10.0.0.9/32"], [new("10.0.0.1/32", Now)], ours, capacity: 1);

        Assert.Equal(["10.0.0.9/32"], edit.Evicted);
        Assert.Equal(["10.0.0.1/32"], edit.Added);
        Assert.Empty(edit.RefusedFull);
    }

    [Fact]
    public void Add_OnEqualExpiryAmongOurEntries_EvictsTheOrdinallyFirstCidr()
    {
        var ours = new Dictionary<string, DateTimeOffset> { ["10.0.0.1/32"] = Now, ["10.0.0.2/32"] = Now };

        var edit = IpSetPlanner.Add(["10.0.0.2/32", "10.0.0.1/32"], [new("10.0.0.3/32", Now.AddHours(1))], ours, capacity: 2);

        Assert.Equal(["10.0.0.1/32"], edit.Evicted);
    }

    [Fact]
    public void Add_OnEqualExpiryAmongNewAddresses_RefusesTheOrdinallyFirstCidr()
    {
        var edit = IpSetPlanner.Add([], [new("10.0.0.2/32", Now), new("10.0.0.1/32", Now)], NoRecords, capacity: 1);

        Assert.Equal(["10.0.0.1/32"], edit.RefusedFull);
        Assert.Equal(["10.0.0.2/32"], edit.Added);
    }
}
