using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;

namespace Remediators.Tests.Blocklist;

/// <summary>
/// Address texts of every class a finding could carry, and an oracle written independently of the classifier: the networks that
/// must never reach an IP set (RFC 6890 special-purpose registries, documentation ranges, everything outside IPv6 2000::/3).
/// </summary>
public static class AddressGenerators
{
    public static readonly IPNetwork[] NeverBlocked =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "2001::/23", "::ffff:0:0/96",
        }.Select(IPNetwork.Parse),
    ];

    public static readonly IPNetwork[] Documentation =
        [.. new[] { "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "3fff::/20" }.Select(IPNetwork.Parse)];

    public static readonly IPNetwork Ipv6GlobalUnicast = IPNetwork.Parse("2000::/3");

    private static readonly string[] Malformed =
    [
        "", " ", "127.1", "0x7f.0.0.1", "1", "1.2.3", "1.2.3.4/0", "1.2.3.4/32", "0.0.0.0/0", "::/0", "010.0.0.1", "1.2.3.256",
        "fe80::1%eth0", "2001:db8::1/128", "8.8.8.8.8", "not-an-ip", "::ffff:127.0.0.1", "0.0.0.0", "::", "255.255.255.255",
    ];

    /// <summary>Whether the oracle forbids blocking <paramref name="address"/> (IPv4-mapped IPv6 judged as its IPv4 address).</summary>
    public static bool IsForbidden(IPAddress address, bool refuseDocumentation, IReadOnlyList<IPNetwork> allowlist)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && !Ipv6GlobalUnicast.Contains(address))
            return true;
        return NeverBlocked.Any(n => n.Contains(address))
            || (refuseDocumentation && Documentation.Any(n => n.Contains(address)))
            || allowlist.Any(n => n.Contains(address));
    }

    public static Gen<string> AddressText() => Gen.Frequency(
        (3, PublicIpv4()),
        (3, InsideOneOf([.. NeverBlocked, .. Documentation])),
        (2, AnyIpv6()),
        (2, MappedIpv4()),
        (1, Gen.Elements(Malformed)));

    public static Gen<string> PublicIpv4() =>
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255), 4)
        select string.Join('.', bytes);

    public static Gen<string> AnyIpv6() =>
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255), 16)
        from prefix in Gen.Elements<byte?>(null, 0x20, 0x26, 0xfe, 0xfc, 0xff, 0x00)
        select Ipv6(bytes, prefix);

    public static Gen<string> MappedIpv4() =>
        from inner in Gen.OneOf(PublicIpv4(), InsideOneOf(NeverBlocked.Where(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetwork).ToArray()))
        select $"::ffff:{inner}";

    /// <summary>A random host inside one of the networks.</summary>
    public static Gen<string> InsideOneOf(IPNetwork[] networks) =>
        from network in Gen.Elements(networks)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255), network.BaseAddress.GetAddressBytes().Length)
        select Inside(network, bytes);

    private static string Inside(IPNetwork network, int[] random)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        for (var bit = network.PrefixLength; bit < bytes.Length * 8; bit++)
        {
            if ((random[bit / 8] >> (7 - bit % 8) & 1) == 1)
                bytes[bit / 8] |= (byte)(1 << (7 - bit % 8));
        }
        return new IPAddress(bytes).ToString();
    }

    private static string Ipv6(int[] random, byte? prefix)
    {
        var bytes = random.Select(b => (byte)b).ToArray();
        if (prefix is { } first)
            bytes[0] = first;
        return new IPAddress(bytes).ToString();
    }
}
