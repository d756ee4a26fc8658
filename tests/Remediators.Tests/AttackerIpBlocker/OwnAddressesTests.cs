using System.Net;
using AttackerIpBlocker;

namespace Remediators.Tests.AttackerIpBlocker;

/// <summary>Pins how the account's own addresses are keyed: canonical text, unparsable entries skipped, the later holder winning.</summary>
public sealed class OwnAddressesTests
{
    [Fact]
    public void From_KeysEachParsableAddressCanonically_SkipsTheRest_AndKeepsTheLastHolder()
    {
        var own = OwnAddresses.From([
            ("203.0.113.5", "Elastic IP eipalloc-1"), (null, "Elastic IP eipalloc-2"), ("not-an-address", "NAT gateway nat-0"),
            ("2001:DB8:0::1", "Elastic IP eipalloc-3"), ("2001:db8::1", "NAT gateway nat-1"),
        ]);

        Assert.Equal(2, own.HolderByAddress.Count);
        Assert.Equal("Elastic IP eipalloc-1", own.HolderOf(IPAddress.Parse("203.0.113.5")));
        Assert.Equal("NAT gateway nat-1", own.HolderOf(IPAddress.Parse("2001:db8::1")));
        Assert.Null(own.HolderOf(IPAddress.Parse("203.0.113.6")));
    }
}
