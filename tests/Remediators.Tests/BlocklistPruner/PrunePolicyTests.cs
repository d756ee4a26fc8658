using BlocklistPruner;
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

        Assert.Equal(["192.0.2.1/32"], plan.NaclCidrsByAcl["acl-1"]);
        Assert.Equal(["192.0.2.9/32"], plan.NaclCidrsByAcl["acl-2"]);
    }

    [Fact]
    public void StillExpired_KeepsAnAddressReSightedSinceTheScan()
    {
        var fresh = new Dictionary<string, BlockedAddress> { ["192.0.2.1/32"] = Address("192.0.2.1/32", 20) };

        Assert.Equal(["192.0.2.2/32"], PrunePolicy.StillExpired(["192.0.2.1/32", "192.0.2.2/32"], fresh, Now));
    }
}
