using BlocklistPruner;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Remediators.Core.Blocklist;

namespace Remediators.Tests.BlocklistPruner;

public sealed class PrunePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static BlockedAddress Address(string cidr, double expiresInHours) =>
        new(cidr, Now.AddHours(-30), Now.AddHours(expiresInHours - 24), Now.AddHours(expiresInHours), ["finding-1"]);

    [Fact]
    public void Plan_UnblocksExactlyTheAddressesWhoseExpiryPassed()
    {
        var plan = PrunePolicy.Plan(new BlocklistContents([Address("192.0.2.1/32", -1), Address("192.0.2.2/32", 0), Address("192.0.2.3/32", 1)], []), Now);

        Assert.Equal(["192.0.2.1/32", "192.0.2.2/32"], plan.Expired.Select(a => a.Cidr));
    }

    [Fact]
    public void Plan_RemovesNaclEntriesOfExpiredOrUnrecordedAddresses_NotOfLiveOnes()
    {
        OwnedNaclRule[] rules =
        [
            new("acl-1", 1, "192.0.2.1/32", Now), new("acl-1", 2, "192.0.2.3/32", Now), new("acl-2", 1, "192.0.2.9/32", Now),
        ];

        var plan = PrunePolicy.Plan(new BlocklistContents([Address("192.0.2.1/32", -1), Address("192.0.2.3/32", 1)], rules), Now);

        Assert.Equal(["192.0.2.1/32"], plan.NaclCidrsByAcl[new AclLocation("acl-1")]);
        Assert.Equal(["192.0.2.9/32"], plan.NaclCidrsByAcl[new AclLocation("acl-2")]);
    }

    [Fact]
    public void StillExpired_KeepsAnAddressReSightedSinceTheScan()
    {
        var fresh = new Dictionary<string, BlockedAddress> { ["192.0.2.1/32"] = Address("192.0.2.1/32", 20) };

        Assert.Equal(["192.0.2.2/32"], PrunePolicy.StillExpired(["192.0.2.1/32", "192.0.2.2/32"], fresh, Now));
    }

    private const string SetArn = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/attackers/a1";
    private const string OtherSetArn = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/shared/b2";

    [Fact]
    public void Removable_TakesOnlyOurExpiredEntriesOfThatSet()
    {
        var fresh = new Dictionary<string, BlockedAddress>
        {
            ["192.0.2.1/32"] = Address("192.0.2.1/32", -1) with { AddedTo = [SetArn] },
            ["192.0.2.2/32"] = Address("192.0.2.2/32", -1),
            ["192.0.2.3/32"] = Address("192.0.2.3/32", -1) with { AddedTo = [OtherSetArn] },
            ["192.0.2.4/32"] = Address("192.0.2.4/32", 1) with { AddedTo = [SetArn] },
        };

        var removable = PrunePolicy.Removable(["192.0.2.1/32", "192.0.2.2/32", "192.0.2.3/32", "192.0.2.4/32", "192.0.2.5/32"], fresh, SetArn, Now);

        Assert.Equal(["192.0.2.1/32"], removable);
    }

    /// <summary>
    /// Whatever the records say, an entry leaves the set only when a record shows this suite added it to that very set and its
    /// expiry is at or before now (the oracle compares ticks, not through <see cref="BlockedAddress.IsExpired"/>).
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Removable_NeverTakesSomeoneElsesOrALiveEntry() => Prop.ForAll(Records().ToArbitrary(), records =>
    {
        var fresh = records.ToDictionary(r => r.Cidr);
        var held = records.Select(r => r.Cidr).Append("192.0.2.250/32").ToList();

        var removable = PrunePolicy.Removable(held, fresh, SetArn, Now);

        return held.All(c => removable.Contains(c) == (fresh.TryGetValue(c, out var r) && r.AddedTo.Contains(SetArn) && r.ExpiresAt.UtcTicks <= Now.UtcTicks));
    });

    /// <summary>Records expiring around now, ±1 tick and exactly at now among them, each added to this set, another, both or neither.</summary>
    private static Gen<BlockedAddress[]> Records() =>
        from count in Gen.Choose(0, 12)
        from offsets in Gen.ArrayOf(Gen.Elements(-TimeSpan.FromHours(1).Ticks, -1L, 0L, 1L, TimeSpan.FromHours(1).Ticks), count)
        from sets in Gen.ArrayOf(Gen.Elements<string[]>([], [SetArn], [OtherSetArn], [SetArn, OtherSetArn]), count)
        select offsets.Select((offset, i) => new BlockedAddress($"192.0.2.{i + 1}/32", Now.AddDays(-2), Now.AddDays(-1), Now.AddTicks(offset), ["f"]) { AddedTo = sets[i] }).ToArray();
}
