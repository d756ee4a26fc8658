using FsCheck;
using FsCheck.Fluent;
using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>Rules of every shape the EC2 API returns: CIDR, IPv6, group references, prefix lists, egress, all-traffic.</summary>
public static class IngressRuleGenerators
{
    public const string GroupId = "sg-0000000000000aaaa";

    /// <summary>Sources with no public address at all (8000::/1 holds no global unicast address).</summary>
    public static readonly string[] PrivateCidrs =
        ["10.0.0.0/8", "172.16.0.0/12", "100.64.0.0/10", "169.254.0.0/16", "fc00::/7", "fe80::/10", "8000::/1"];

    // The world, its /1 halves, and narrower public ranges that never add up to the whole public internet (WholeInternet relies on it).
    private static readonly string[] Cidrs =
        ["0.0.0.0/0", "::/0", "0.0.0.0/1", "128.0.0.0/1", "::/1", "203.0.113.5/32", "2001:db8::/32", "128.0.0.0/2", "1.0.0.0/8", .. PrivateCidrs];

    // The edges of the ALB decision: single allowed ports, ranges that just reach or just pass them, and everything.
    private static readonly (int From, int To)[] EdgeRanges =
        [(80, 80), (443, 443), (79, 80), (443, 444), (80, 443), (81, 442), (22, 22), (0, 65535), (0, 79), (444, 65535)];

    private static Gen<(int From, int To)> Ports() => Gen.Frequency(
        (3, Gen.Elements(EdgeRanges)),
        (2, from start in Gen.Choose(0, 65535)
            from width in Gen.Choose(0, 2000)
            select (start, Math.Min(65535, start + width))));

    public static Gen<IngressRule> Rule() =>
        from id in Gen.Choose(1, 1_000_000)
        from kind in Gen.Elements("cidr", "cidr", "cidr", "group", "prefix-list")
        from isEgress in Gen.Elements(false, false, false, true)
        from protocol in Gen.Elements("tcp", "tcp", "udp", "-1", "icmp", "6")
        from ports in Ports()
        from cidr in Gen.Frequency((2, Gen.Elements("0.0.0.0/0", "::/0", "0.0.0.0/1", "128.0.0.0/1", "::/1")), (3, Gen.Elements(Cidrs)))
        let ipv6 = cidr.Contains(':', StringComparison.Ordinal)
        let all = protocol == "-1"
        select new IngressRule(
            $"sgr-{id:x}", GroupId, isEgress, protocol,
            all ? -1 : ports.From, all ? -1 : ports.To,
            kind == "cidr" && !ipv6 ? cidr : null,
            kind == "cidr" && ipv6 ? cidr : null,
            kind == "prefix-list" ? "pl-0123456789abcdef0" : null,
            kind == "group" ? "sg-0000000000000bbbb" : null,
            null);

    public static Arbitrary<IngressRule[]> Rules() => Gen.ArrayOf(Rule()).ToArbitrary();
}
