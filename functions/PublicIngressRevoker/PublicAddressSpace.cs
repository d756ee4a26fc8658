using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace PublicIngressRevoker;

/// <summary>A CIDR as the inclusive range of addresses it holds (IPv4 addresses in the low 32 bits).</summary>
public sealed record AddressBlock(AddressFamily Family, UInt128 First, UInt128 Last)
{
    /// <summary>How wide the block is: 0 for one address, 32 for 0.0.0.0/0, 128 for ::/0.</summary>
    public int HostBits => 128 - (int)UInt128.LeadingZeroCount(Last - First);

    /// <summary>Parses "a.b.c.d/n" or "x::/n"; host bits after the prefix are ignored, as EC2 ignores them.</summary>
    public static AddressBlock? TryParse(string? cidr)
    {
        var parts = cidr?.Split('/');
        if (parts is not [var address, var prefix] || !IPAddress.TryParse(address, out var ip) || !int.TryParse(prefix, out var length))
            return null;
        var bits = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (length < 0 || length > bits)
            return null;
        var bytes = ip.GetAddressBytes();
        var value = UInt128.Zero;
        foreach (var b in bytes)
            value = (value << 8) | b;
        var hostBits = bits - length;
        var hostMask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return new AddressBlock(ip.AddressFamily, value & ~hostMask, (value & ~hostMask) | hostMask);
    }
}

/// <summary>How much of the public internet a set of address blocks admits together, never counting private space.</summary>
public static class PublicAddressSpace
{
    // Sources that never reach a group from the internet: "this network", RFC 1918, CGNAT, loopback, link-local, multicast and reserved.
    private static readonly string[] NotPublicIpv4 =
        ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"];

    private static readonly IReadOnlyList<AddressBlock> PublicIpv4 = Complement(
        AddressFamily.InterNetwork, uint.MaxValue, NotPublicIpv4.Select(c => AddressBlock.TryParse(c)!));

    // Only global unicast (2000::/3) is public IPv6: ULA fc00::/7, link-local fe80::/10, loopback, multicast and mapped IPv4 lie outside it.
    private static readonly IReadOnlyList<AddressBlock> PublicIpv6 = [AddressBlock.TryParse("2000::/3")!];

    public static IReadOnlyList<AddressBlock> PublicRanges(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? PublicIpv4 : PublicIpv6;

    /// <summary>How many public addresses of <paramref name="family"/> the blocks admit together (overlaps counted once).</summary>
    public static UInt128 PublicAddresses(IEnumerable<AddressBlock> blocks, AddressFamily family)
    {
        var total = UInt128.Zero;
        foreach (var block in Merge(blocks.Where(b => b.Family == family)))
            foreach (var open in PublicRanges(family))
                if (UInt128.Max(block.First, open.First) is var first && UInt128.Min(block.Last, open.Last) is var last && first <= last)
                    total += last - first + 1;
        return total;
    }

    public static UInt128 TotalPublicAddresses(AddressFamily family) => PublicAddresses(PublicRanges(family), family);

    /// <summary>Whether the blocks together admit at least <paramref name="percent"/> % of the public space of <paramref name="family"/>.</summary>
    public static bool AdmitsAtLeast(IEnumerable<AddressBlock> blocks, AddressFamily family, int percent) =>
        PublicAddresses(blocks, family) is var admitted && admitted > 0 &&
        (BigInteger)admitted * 100 >= (BigInteger)TotalPublicAddresses(family) * percent;

    private static IEnumerable<AddressBlock> Merge(IEnumerable<AddressBlock> blocks)
    {
        AddressBlock? current = null;
        foreach (var block in blocks.OrderBy(b => b.First))
        {
            if (current is not null && (current.Last == UInt128.MaxValue || block.First <= current.Last + 1))
            {
                current = current with { Last = UInt128.Max(current.Last, block.Last) };
                continue;
            }
            if (current is not null)
                yield return current;
            current = block;
        }
        if (current is not null)
            yield return current;
    }

    /// <summary>The addresses from 0 to <paramref name="last"/> that none of the excluded blocks holds, as ranges.</summary>
    internal static List<AddressBlock> Complement(AddressFamily family, UInt128 last, IEnumerable<AddressBlock> excluded)
    {
        var ranges = new List<AddressBlock>();
        var next = UInt128.Zero;
        foreach (var block in Merge(excluded))
        {
            if (block.First > next)
                ranges.Add(new AddressBlock(family, next, block.First - 1));
            next = block.Last + 1;
        }
        if (next <= last)
            ranges.Add(new AddressBlock(family, next, last));
        return ranges;
    }
}
