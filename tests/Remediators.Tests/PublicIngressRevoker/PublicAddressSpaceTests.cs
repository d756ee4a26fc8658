using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>CIDR parsing at its edges, and overlapping blocks counted once however they overlap.</summary>
public sealed class PublicAddressSpaceTests
{
    private const AddressFamily V4 = AddressFamily.InterNetwork;
    private const AddressFamily V6 = AddressFamily.InterNetworkV6;

    private static AddressBlock Block(string cidr) => AddressBlock.TryParse(cidr)!;

    private static UInt128 Count(AddressFamily family, params string[] cidrs) => PublicAddressSpace.PublicAddresses(cidrs.Select(Block), family);

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/x")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("ten/8")]
    [InlineData(null)]
    public void TryParse_RefusesWhatIsNotACidr(string? cidr) => Assert.Null(AddressBlock.TryParse(cidr));

    [Theory]
    [InlineData("0.0.0.0/0", 0UL, 0xFFFF_FFFFUL, 32)]
    [InlineData("10.1.2.3/8", 0x0A00_0000UL, 0x0AFF_FFFFUL, 24)]
    [InlineData("203.0.113.5/32", 0xCB00_7105UL, 0xCB00_7105UL, 0)]
    public void TryParse_ReadsIpv4BlocksUpToTheEdges_IgnoringHostBits(string cidr, ulong first, ulong last, int hostBits) =>
        Assert.Equal((V4, (UInt128)first, (UInt128)last, hostBits), (Block(cidr).Family, Block(cidr).First, Block(cidr).Last, Block(cidr).HostBits));

    [Fact]
    public void TryParse_ReadsTheWholeIpv6SpaceUpToTheLastAddress() =>
        Assert.Equal((V6, UInt128.Zero, UInt128.MaxValue, 128), (Block("::/0").Family, Block("::/0").First, Block("::/0").Last, Block("::/0").HostBits));

    [Fact]
    public void PublicAddresses_CountABlockInsideAnotherOnce() =>
        Assert.Equal((UInt128)(1 << 24), Count(V4, "1.0.0.0/8", "1.128.0.0/9"));

    [Fact]
    public void PublicAddresses_CountABlockSharingOnlyTheLastAddressOnce() =>
        Assert.Equal((UInt128)(1 << 24), Count(V4, "1.0.0.0/8", "1.255.255.255/32"));

    [Fact]
    public void PublicAddresses_CountAdjacentBlocksTogether() =>
        Assert.Equal((UInt128)(1 << 25), Count(V4, "2.0.0.0/8", "1.0.0.0/8"));

    [Fact]
    public void PublicAddresses_CountGlobalUnicastOnceBesideTheWholeIpv6Space() =>
        Assert.Equal(UInt128.One << 125, Count(V6, "::/0", "2000::/3", "ffff::/16"));

    [Fact]
    public void Complement_KeepsTheAddressesAfterTheLastExcludedBlock() =>
        Assert.Equal(
            [new AddressBlock(V4, 0, 0x09FF_FFFF), new AddressBlock(V4, 0x0B00_0000, 0xFFFF_FFFF)],
            PublicAddressSpace.Complement(V4, uint.MaxValue, [Block("10.0.0.0/8")]));

    [Fact]
    public void Complement_KeepsASingleLastAddress() =>
        Assert.Equal(
            [new AddressBlock(V4, 0, 0xFFFF_FFFD), new AddressBlock(V4, 0xFFFF_FFFF, 0xFFFF_FFFF)],
            PublicAddressSpace.Complement(V4, uint.MaxValue, [Block("255.255.255.254/32")]));

    [Fact]
    public void Complement_OfBlocksReachingTheLastAddress_EndsThere() =>
        Assert.Equal([new AddressBlock(V4, 0, 0xDFFF_FFFF)], PublicAddressSpace.Complement(V4, uint.MaxValue, [Block("224.0.0.0/3")]));

    // Blocks inside 1.2.0.0/16 (all public); the expectation marks each address in a bitmap, apart from the code's merging.
    private static Gen<(int Offset, int Length)> InsideOneSlash16() =>
        from length in Gen.Choose(16, 32)
        from offset in Gen.Choose(0, 65535)
        select (offset & ~((1 << (32 - length)) - 1), length);

    public static class Arbitraries
    {
        public static Arbitrary<(int Offset, int Length)[]> Blocks() => Gen.ArrayOf(InsideOneSlash16()).ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool PublicAddresses_OfOverlappingBlocks_CountEachAddressOnce((int Offset, int Length)[] blocks)
    {
        var seen = new bool[65536];
        foreach (var (offset, length) in blocks)
            Array.Fill(seen, true, offset, 1 << (32 - length));

        var cidrs = blocks.Select(b => $"1.2.{b.Offset >> 8}.{b.Offset & 255}/{b.Length}").ToArray();
        return Count(V4, cidrs) == (UInt128)seen.Count(marked => marked);
    }
}
