using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Remediators.Core.Blocklist;

/// <summary>One host address as WAF and NACLs take it: IPv4 as /32, IPv6 as /128, never anything wider.</summary>
public sealed record BlockableAddress(IPAddress Address)
{
    public bool IsIpv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    public string Cidr => $"{Address}/{(IsIpv6 ? 128 : 32)}";
}

/// <summary>An address text as a finding gave it: blockable, or refused with the reason.</summary>
public sealed record AddressVerdict(string Text, BlockableAddress? Blockable, string? Refusal)
{
    public static AddressVerdict Block(string text, IPAddress address) => new(text, new BlockableAddress(address), null);
    public static AddressVerdict Refuse(string text, string reason) => new(text, null, reason);
}

/// <summary>What may never be blocked besides the special-purpose ranges: allowlisted networks, and optionally documentation ranges.</summary>
public sealed record AddressRules(IReadOnlyList<IPNetwork> Allowlist, bool RefuseDocumentationRanges)
{
    public static readonly AddressRules Default = new([], true);
}

/// <summary>
/// Decides whether an address text may be blocked. Only a canonical literal of one public unicast host passes:
/// private, shared, loopback, link-local, multicast, reserved and special-purpose ranges (IANA registries), documentation
/// ranges when configured, and allowlisted networks are refused. IPv4-mapped IPv6 is judged as the IPv4 address it carries.
/// </summary>
public static class AddressClassifier
{
    private static readonly (IPNetwork Network, string Reason)[] Ipv4Refused =
    [
        (Net("0.0.0.0/8"), "\"this network\" (0.0.0.0/8)"),
        (Net("10.0.0.0/8"), "private (10.0.0.0/8)"),
        (Net("100.64.0.0/10"), "shared address space (100.64.0.0/10)"),
        (Net("127.0.0.0/8"), "loopback (127.0.0.0/8)"),
        (Net("169.254.0.0/16"), "link-local (169.254.0.0/16)"),
        (Net("172.16.0.0/12"), "private (172.16.0.0/12)"),
        (Net("192.0.0.0/24"), "IETF protocol assignments (192.0.0.0/24)"),
        (Net("192.88.99.0/24"), "6to4 relay anycast (192.88.99.0/24)"),
        (Net("192.168.0.0/16"), "private (192.168.0.0/16)"),
        (Net("198.18.0.0/15"), "benchmarking (198.18.0.0/15)"),
        (Net("224.0.0.0/4"), "multicast (224.0.0.0/4)"),
        (Net("240.0.0.0/4"), "reserved (240.0.0.0/4)"),
    ];

    private static readonly (IPNetwork Network, string Reason)[] Ipv4Documentation =
    [
        (Net("192.0.2.0/24"), "documentation (192.0.2.0/24)"),
        (Net("198.51.100.0/24"), "documentation (198.51.100.0/24)"),
        (Net("203.0.113.0/24"), "documentation (203.0.113.0/24)"),
    ];

    // Only global unicast (2000::/3) can be an internet attacker; inside it, these are special-purpose.
    private static readonly IPNetwork Ipv6GlobalUnicast = Net("2000::/3");

    private static readonly (IPNetwork Network, string Reason)[] Ipv6Refused =
    [
        (Net("2001::/23"), "IETF protocol assignments (2001::/23)"),
    ];

    private static readonly (IPNetwork Network, string Reason)[] Ipv6Documentation =
    [
        (Net("2001:db8::/32"), "documentation (2001:db8::/32)"),
        (Net("3fff::/20"), "documentation (3fff::/20)"),
    ];

    private static readonly (IPNetwork Network, string Reason)[] Ipv6OutsideGlobalUnicast =
    [
        (Net("::/128"), "unspecified (::)"),
        (Net("::1/128"), "loopback (::1)"),
        (Net("fc00::/7"), "unique local, private (fc00::/7)"),
        (Net("fe80::/10"), "link-local (fe80::/10)"),
        (Net("ff00::/8"), "multicast (ff00::/8)"),
    ];

    public static AddressVerdict Classify(string? text, AddressRules rules)
    {
        if (string.IsNullOrWhiteSpace(text))
            return AddressVerdict.Refuse(text ?? "", "empty address");
        if (!TryParseCanonical(text.Trim(), out var address))
            return AddressVerdict.Refuse(text, "not a plain IPv4 or IPv6 host address");
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        var reason = address.AddressFamily == AddressFamily.InterNetwork ? Ipv4Refusal(address, rules) : Ipv6Refusal(address, rules);
        reason ??= rules.Allowlist.Where(n => n.Contains(address)).Select(n => $"allowlisted ({n})").FirstOrDefault();
        return reason is null ? AddressVerdict.Block(text, address) : AddressVerdict.Refuse(text, reason);
    }

    /// <summary>
    /// Dotted-quad IPv4 with four decimal parts and no leading zeros, or IPv6 without a zone: the forms GuardDuty writes.
    /// IPAddress.TryParse alone also takes "127.1", "0x7f.0.0.1" and "1", which must not be read as some other host.
    /// </summary>
    private static bool TryParseCanonical(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
            return !text.Contains('%', StringComparison.Ordinal) && !text.Contains('/', StringComparison.Ordinal)
                && IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0')))
            return false;
        if (parts.Any(p => int.Parse(p, CultureInfo.InvariantCulture) > 255))
            return false;
        return IPAddress.TryParse(text, out address!);
    }

    private static string? Ipv4Refusal(IPAddress address, AddressRules rules) =>
        Ipv4Refused.Concat(rules.RefuseDocumentationRanges ? Ipv4Documentation : [])
            .Where(r => r.Network.Contains(address)).Select(r => r.Reason).FirstOrDefault();

    private static string? Ipv6Refusal(IPAddress address, AddressRules rules)
    {
        if (!Ipv6GlobalUnicast.Contains(address))
            return Ipv6OutsideGlobalUnicast.Where(r => r.Network.Contains(address)).Select(r => r.Reason).FirstOrDefault()
                ?? "reserved, not global unicast (outside 2000::/3)";
        return Ipv6Refused.Concat(rules.RefuseDocumentationRanges ? Ipv6Documentation : [])
            .Where(r => r.Network.Contains(address)).Select(r => r.Reason).FirstOrDefault();
    }

    private static IPNetwork Net(string cidr) => IPNetwork.Parse(cidr);
}
