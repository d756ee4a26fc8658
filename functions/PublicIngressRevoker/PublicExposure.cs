using System.Net.Sockets;

namespace PublicIngressRevoker;

/// <summary>A customer-managed or AWS-managed prefix list, with its entries when it is customer-managed.</summary>
public sealed record PrefixList(string Id, string Name, bool IsAwsManaged, IReadOnlyList<string> Cidrs);

/// <summary>
/// One protocol and port range that the group's rules together open to the public internet over one address family,
/// with every rule that admits public addresses there (<paramref name="Rules"/>).
/// </summary>
public sealed record PublicExposure(string Protocol, PortRange Ports, AddressFamily Family, IReadOnlyList<IngressRule> Rules)
{
    // Find never yields "-1": an all-traffic rule is judged as TCP and UDP (and with any other protocol's own rules).
    public string Text => Protocol +
        (Ports.From < 0 ? "" : Ports.From == Ports.To ? $" {Ports.From}" : $" {Ports.From}-{Ports.To}") +
        $" from the public {(Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} internet";

    public (string, int, AddressFamily) Key => (Protocol, Ports.From, Family);
}

/// <summary>Finds public exposures by the address space rules cover together per protocol and port, not by any one rule's prefix.</summary>
public static class PublicExposures
{
    private static readonly PortRange EveryPort = new(0, 65535);
    private static readonly PortRange NoPorts = new(-1, -1);
    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    /// <summary>The source address blocks of an ingress rule: its CIDR, or a customer-managed prefix list's entries.</summary>
    public static IReadOnlyList<AddressBlock> SourcesOf(IngressRule rule, IReadOnlyDictionary<string, PrefixList> prefixLists)
    {
        if (rule.IsEgress || rule.ReferencedGroupId is not null)
            return [];
        if (rule.PrefixListId is { } id)
            // AWS-managed lists (com.amazonaws.*) hold AWS service ranges, not the internet; an unknown list admits nothing we can see.
            return prefixLists.GetValueOrDefault(id) is { IsAwsManaged: false } list
                ? [.. list.Cidrs.Select(AddressBlock.TryParse).OfType<AddressBlock>()]
                : [];
        return AddressBlock.TryParse(rule.Cidr) is { } block ? [block] : [];
    }

    /// <summary>
    /// Every exposure of <paramref name="rules"/> whose public share reaches the family's threshold. TCP and UDP are judged
    /// port by port (as ranges between rule boundaries), other protocols as a whole.
    /// </summary>
    public static IEnumerable<PublicExposure> Find(
        IReadOnlyList<IngressRule> rules, IReadOnlyDictionary<string, PrefixList> prefixLists, PublicIngressRevokerSettings settings)
    {
        var sources = rules.Distinct().ToDictionary(r => r, r => SourcesOf(r, prefixLists));
        var publicIn = sources.ToDictionary(s => s.Key, s => Families.Where(f => PublicAddressSpace.PublicAddresses(s.Value, f) > 0).ToHashSet());
        var open = sources.Keys.Where(r => publicIn[r].Count > 0).ToList();
        var protocols = open.Where(r => !r.IsAllTraffic).Select(r => PublicIngressPolicy.ProtocolName(r.Protocol))
            .Concat(open.Any(r => r.IsAllTraffic) ? ["tcp", "udp"] : [])
            .Distinct().Order(StringComparer.Ordinal);
        foreach (var protocol in protocols)
        {
            var onProtocol = open.Where(r => r.IsAllTraffic || PublicIngressPolicy.ProtocolName(r.Protocol) == protocol).ToList();
            foreach (var ports in Segments(protocol, onProtocol, settings.AlbAllowedPorts))
            {
                var covering = onProtocol.Where(r => !HasPorts(protocol) || r.IsAllTraffic || (r.FromPort <= ports.From && ports.To <= r.ToPort)).ToList();
                foreach (var family in Families)
                {
                    var inFamily = covering.Where(r => publicIn[r].Contains(family)).ToList();
                    if (inFamily.Count > 0 && PublicAddressSpace.AdmitsAtLeast(inFamily.SelectMany(r => sources[r]), family, settings.PublicPercent(family)))
                        yield return new PublicExposure(protocol, ports, family, inFamily);
                }
            }
        }
    }

    private static bool HasPorts(string protocol) => protocol is "tcp" or "udp";

    // Ranges between consecutive rule boundaries (and the ALB's allowed ports, so they are judged on their own).
    private static IEnumerable<PortRange> Segments(string protocol, IReadOnlyList<IngressRule> rules, IReadOnlyList<PortRange> allowedPorts)
    {
        if (!HasPorts(protocol))
        {
            yield return NoPorts;
            yield break;
        }
        var ranges = rules.Select(r => r.IsAllTraffic ? EveryPort : new PortRange(r.FromPort, r.ToPort)).ToList();
        var edges = ranges.SelectMany(r => new[] { r.From, r.To + 1 })
            .Concat(protocol == "tcp" ? allowedPorts.SelectMany(a => new[] { a.From, a.To + 1 }) : [])
            .Where(p => p is >= 0 and <= 65536).Append(0).Append(65536).Distinct().Order().ToList();
        for (var i = 0; i + 1 < edges.Count; i++)
        {
            var segment = new PortRange(edges[i], edges[i + 1] - 1);
            if (ranges.Any(r => r.From <= segment.From && segment.To <= r.To))
                yield return segment;
        }
    }
}
