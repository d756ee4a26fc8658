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
        rule.Protocol is "tcp" or "6" &&
        rule.FromPort >= 0 &&
        allowedPorts.Any(range => range.Contains(rule.FromPort, rule.ToPort));

    /// <summary>Whether knowing if the group fronts an ALB can change the plan (only when a public rule could be kept).</summary>
    public static bool NeedsAlbCheck(IEnumerable<IngressRule> rules, PublicIngressRevokerSettings settings) =>
        rules.Any(r => IsOpenToWorld(r, settings.PublicPrefixMaxLength) && KeepsOnAlb(r, settings.AlbAllowedPorts));

    public static GroupPlan Decide(string groupId, IReadOnlyList<IngressRule> rules, bool isAlbGroup, PublicIngressRevokerSettings settings)
    {
        var revocations = new List<(IngressRule, string)>();
        var kept = new List<(IngressRule, string)>();
        foreach (var rule in rules.Where(r => r.GroupId == groupId && IsOpenToWorld(r, settings.PublicPrefixMaxLength)))
        {
            if (isAlbGroup && KeepsOnAlb(rule, settings.AlbAllowedPorts))
                kept.Add((rule, $"ALB group: tcp {rule.PortText} is an allowed public port"));
            else
                revocations.Add((rule, RevocationReason(rule, isAlbGroup)));
        }
        var grants = revocations
            .SelectMany(r => GrantsReplacing(r.Item1, settings.TrustedCidrs))
            .Where(grant => !rules.Any(existing => Grants(existing, grant)))
            .Distinct()
            .ToList();
        return new GroupPlan(groupId, revocations, grants, kept);
    }

    private static string RevocationReason(IngressRule rule, bool isAlbGroup)
    {
        var exposure = rule.IsAllTraffic ? "all traffic" : $"{rule.Protocol} {rule.PortText}";
        return isAlbGroup
            ? $"{exposure} open to {rule.Cidr} on an ALB group, outside the allowed public ports"
            : $"{exposure} open to {rule.Cidr}";
    }

    private static IEnumerable<IngressGrant> GrantsReplacing(IngressRule rule, IReadOnlyList<IPNetwork> trustedCidrs) =>
        trustedCidrs
            .Where(cidr => cidr.BaseAddress.AddressFamily == (rule.CidrIpv6 is null
                ? System.Net.Sockets.AddressFamily.InterNetwork
                : System.Net.Sockets.AddressFamily.InterNetworkV6))
            .Select(cidr => new IngressGrant(rule.GroupId, rule.Protocol, rule.FromPort, rule.ToPort, cidr.ToString(),
                $"Trusted replacement for public rule {rule.RuleId}"));

    private static bool Grants(IngressRule existing, IngressGrant grant) =>
        !existing.IsEgress && existing.GroupId == grant.GroupId && existing.Protocol == grant.Protocol &&
        existing.FromPort == grant.FromPort && existing.ToPort == grant.ToPort && existing.Cidr == grant.Cidr;
}

/// <summary>An inclusive port range.</summary>
public sealed record PortRange(int From, int To)
{
    public bool Contains(int from, int to) => from >= From && to <= To && from <= to;

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
