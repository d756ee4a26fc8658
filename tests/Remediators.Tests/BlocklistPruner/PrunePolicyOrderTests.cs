using BlocklistPruner;
using Remediators.Core.Blocklist;

namespace Remediators.Tests.BlocklistPruner;

/// <summary>Pins the order expired addresses are unblocked in, so every run (and its report) takes them the same way.</summary>
public sealed class PrunePolicyOrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static BlockedAddress Address(string cidr, DateTimeOffset expiresAt) => new(cidr, expiresAt.AddDays(-2), expiresAt.AddDays(-1), expiresAt, ["finding-1"]);

    [Fact]
    public void Plan_ExpiredAddresses_ComeOldestExpiryFirst_ThenInOrdinalCidrOrder()
    {
        BlockedAddress[] addresses =
        [
            Address("192.0.2.9/32", Now.AddHours(-1)), Address("192.0.2.3/32", Now.AddHours(-1)), Address("192.0.2.5/32", Now.AddHours(-2)),
        ];

        var plan = PrunePolicy.Plan(new BlocklistContents(addresses, []), Now);

        Assert.Equal(["192.0.2.5/32", "192.0.2.3/32", "192.0.2.9/32"], plan.Expired.Select(a => a.Cidr));
    }
}
