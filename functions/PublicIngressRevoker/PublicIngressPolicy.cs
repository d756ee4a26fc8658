using System.Net;

namespace PublicIngressRevoker;

/// <summary>The pure decision: which ingress rules are public, which an ALB group may keep, and what replaces them.</summary>
public static class PublicIngressPolicy
{
    /// <summary>An IPv4 or IPv6 CIDR whose prefix is no longer than <paramref name="maxPublicPrefixLength"/> (0.0.0.0/0 and ::/0 always).</summary>
    public static bool IsOpenToWorld(IngressRule rule, int maxPublicPrefixLength) =>
        !rule.IsEgress &&
        rule.PrefixListId is null &&
        rule.ReferencedGroupId is null &&
        rule.Cidr is { } cidr &&
        IPNetwork.TryParse(cidr, out var network) &&
        network.PrefixLength <= maxPublicPrefixLength;

    /// <summary>An ALB's listeners are TCP, so a TCP rule whose whole port range lies in one allowed range may stay public.</summary>
    public static bool KeepsOnAlb(IngressRule rule, IReadOnlyList<PortRange> allowedPorts) =>
        ProtocolName(rule.Protocol) == "tcp" &&
        rule.FromPort >= 0 &&
        allowedPorts.Any(range => range.Contains(rule.FromPort, rule.ToPort));

    public static GroupPlan Decide(string groupId, IReadOnlyList<IngressRule> rules, bool isAlbGroup, PublicIngressRevokerSettings settings)
    {
        var revocations = new List<(IngressRule Rule, string Reason)>();
        var kept = new List<(IngressRule, string)>();
        var forReview = new List<(IngressRule, string)>();
        foreach (var rule in rules.Where(r => r.GroupId == groupId && IsOpenToWorld(r, settings.PublicPrefixMaxLength)))
        {
            var albPorts = isAlbGroup ? AlbPortsHeldBy(rule, settings.AlbAllowedPorts) : [];
            if (isAlbGroup && KeepsOnAlb(rule, settings.AlbAllowedPorts))
                kept.Add((rule, $"ALB group: tcp {rule.PortText} is an allowed public port"));
            else if (albPorts.Count > 0 && settings.AlbWideRules == AlbWideRuleHandling.Report)
                forReview.Add((rule, $"{Exposure(rule)} open to {rule.Cidr} also holds the ALB's public ports ({PortsText(albPorts)}): " +
                    "narrow it by hand, or set RevokerAlbWideRules to narrow"));
            else
                revocations.Add((rule, RevocationReason(rule, isAlbGroup)));
        }
        var remaining = rules.Except(revocations.Select(r => r.Rule)).ToList();
        var grants = revocations
            .SelectMany(r => isAlbGroup ? AlbGrantsReplacing(r.Rule, settings.AlbAllowedPorts) : [])
            .Concat(revocations.SelectMany(r => GrantsReplacing(r.Rule, settings.TrustedCidrs)))
            .Where(grant => !remaining.Any(existing => Covers(existing, grant)))
            .DistinctBy(grant => (ProtocolName(grant.Protocol), grant.FromPort, grant.ToPort, grant.Cidr))
            .ToList();
        return new GroupPlan(groupId, revocations, grants, kept, forReview);
    }

    /// <summary>The allowed ALB ports a public rule admits: its TCP ports (all ports for all-traffic) inside the allowed ranges.</summary>
    public static IReadOnlyList<PortRange> AlbPortsHeldBy(IngressRule rule, IReadOnlyList<PortRange> allowedPorts)
    {
        if (!rule.IsAllTraffic && ProtocolName(rule.Protocol) != "tcp")
            return [];
        var held = rule.IsAllTraffic ? new PortRange(0, 65535) : new PortRange(rule.FromPort, rule.ToPort);
        return [.. allowedPorts.Select(allowed => allowed.Intersect(held)).OfType<PortRange>()];
    }

    /// <summary>The same CIDR on the allowed ports only, so the ALB keeps serving every address family that reached it.</summary>
    private static IEnumerable<IngressGrant> AlbGrantsReplacing(IngressRule rule, IReadOnlyList<PortRange> allowedPorts) =>
        AlbPortsHeldBy(rule, allowedPorts).Select(ports =>
            new IngressGrant(rule.GroupId, "tcp", ports.From, ports.To, rule.Cidr!, $"ALB port kept from wide public rule {rule.RuleId}"));

    private static string Exposure(IngressRule rule) => rule.IsAllTraffic ? "all traffic" : $"{rule.Protocol} {rule.PortText}";

    private static string PortsText(IEnumerable<PortRange> ports) =>
        string.Join(", ", ports.Select(p => p.From == p.To ? $"tcp {p.From}" : $"tcp {p.From}-{p.To}"));

    private static string RevocationReason(IngressRule rule, bool isAlbGroup) => isAlbGroup
        ? $"{Exposure(rule)} open to {rule.Cidr} on an ALB group, outside the allowed public ports"
        : $"{Exposure(rule)} open to {rule.Cidr}";

    private static IEnumerable<IngressGrant> GrantsReplacing(IngressRule rule, IReadOnlyList<IPNetwork> trustedCidrs) =>
        trustedCidrs
            .Where(cidr => cidr.BaseAddress.AddressFamily == (rule.CidrIpv6 is null
                ? System.Net.Sockets.AddressFamily.InterNetwork
                : System.Net.Sockets.AddressFamily.InterNetworkV6))
            .Select(cidr => new IngressGrant(rule.GroupId, rule.Protocol, rule.FromPort, rule.ToPort, cidr.ToString(),
                $"Trusted replacement for public rule {rule.RuleId}"));

    /// <summary>Whether a rule that stays already admits everything the grant would (then granting it adds nothing).</summary>
    private static bool Covers(IngressRule existing, IngressGrant grant) =>
        !existing.IsEgress && existing.GroupId == grant.GroupId &&
        (existing.IsAllTraffic || (ProtocolName(existing.Protocol) == ProtocolName(grant.Protocol) &&
            existing.FromPort <= grant.FromPort && grant.ToPort <= existing.ToPort)) &&
        existing.Cidr is { } cidr && IPNetwork.TryParse(cidr, out var network) &&
        IPNetwork.TryParse(grant.Cidr, out var granted) &&
        network.BaseAddress.AddressFamily == granted.BaseAddress.AddressFamily &&
        network.PrefixLength <= granted.PrefixLength && network.Contains(granted.BaseAddress);

    /// <summary>EC2 accepts protocol names and numbers alike: one name for each of the common ones.</summary>
    public static string ProtocolName(string protocol) => protocol switch
    {
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "58" => "icmpv6",
        _ => protocol,
    };
}

/// <summary>An inclusive port range.</summary>
public sealed record PortRange(int From, int To)
{
    public bool Contains(int from, int to) => from >= From && to <= To && from <= to;

    /// <summary>The ports both ranges hold, or null when they share none.</summary>
    public PortRange? Intersect(PortRange other) =>
        Math.Max(From, other.From) <= Math.Min(To, other.To) ? new PortRange(Math.Max(From, other.From), Math.Min(To, other.To)) : null;

    /// <summary>Parses "443" or "8000-8080".</summary>
    public static PortRange Parse(string text)
    {
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (!int.TryParse(parts[0], out var from) || from is < 0 or > 65535)
            throw new FormatException($"'{text}' is not a port or port range");
        var to = from;
        if (parts.Length == 2 && (!int.TryParse(parts[1], out to) || to < from || to > 65535))
            throw new FormatException($"'{text}' is not a port or port range");
        return new PortRange(from, to);
    }

    /// <summary>Sorted, with overlapping and adjacent ranges joined, so "80,81" contains a rule for 80-81.</summary>
    public static IReadOnlyList<PortRange> Merge(IEnumerable<PortRange> ranges)
    {
        var merged = new List<PortRange>();
        foreach (var range in ranges.OrderBy(r => r.From))
        {
            if (merged.Count > 0 && range.From <= merged[^1].To + 1)
                merged[^1] = merged[^1] with { To = Math.Max(merged[^1].To, range.To) };
            else
                merged.Add(range);
        }
        return merged;
    }
}
