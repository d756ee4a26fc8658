using System.Net;
using System.Net.Sockets;

namespace PublicIngressRevoker;

/// <summary>
/// The pure decision: which protocols and ports the group's rules open to the public internet together, which rules go to
/// close them (widest first, so a narrow rule beside a 0.0.0.0/0 stays), what an ALB group keeps, and what replaces them.
/// </summary>
public static class PublicIngressPolicy
{
    /// <summary>Whether any protocol and port of the group is open to the public internet (before any ALB allowance).</summary>
    public static bool IsExposed(IReadOnlyList<IngressRule> rules, IReadOnlyDictionary<string, PrefixList> prefixLists, PublicIngressRevokerSettings settings) =>
        PublicExposures.Find(rules, prefixLists, settings).Any();

    /// <summary>An ALB's listeners are TCP, so a TCP rule whose whole port range lies in one allowed range may stay public.</summary>
    public static bool KeepsOnAlb(IngressRule rule, IReadOnlyList<PortRange> allowedPorts) =>
        ProtocolName(rule.Protocol) == "tcp" &&
        rule.FromPort >= 0 &&
        allowedPorts.Any(range => range.Contains(rule.FromPort, rule.ToPort));

    public static GroupPlan Decide(
        string groupId, IReadOnlyList<IngressRule> rules, IReadOnlyDictionary<string, PrefixList> prefixLists, bool isAlbGroup,
        PublicIngressRevokerSettings settings)
    {
        var mine = rules.Where(r => r.GroupId == groupId).Distinct().ToList();
        var revocations = new List<(IngressRule Rule, string Reason)>();
        var forReview = new List<(IngressRule Rule, string Reason)>();
        var settled = new HashSet<(string, int, AddressFamily)>();
        while (PublicExposures.Find([.. mine.Except(revocations.Select(r => r.Rule))], prefixLists, settings)
                   .FirstOrDefault(e => !(isAlbGroup && IsAllowedOnAlb(e, settings)) && !settled.Contains(e.Key)) is { } exposure)
        {
            settled.Add(exposure.Key);
            var held = exposure.Rules.Select(r => (Rule: r, Reason: HoldReason(r, prefixLists, isAlbGroup, settings))).Where(h => h.Reason is not null).ToList();
            if (Admits(held.Select(h => h.Rule), exposure, prefixLists, settings))
            {
                // What may not be revoked keeps the exposure open anyway: revoking the rest would change access and close nothing.
                forReview.AddRange(held.Where(h => forReview.All(f => f.Rule != h.Rule)).Select(h => (h.Rule, $"{h.Reason}; {exposure.Text}")));
                continue;
            }
            revocations.AddRange(Closing(exposure, held.Select(h => h.Rule).ToHashSet(), prefixLists, settings)
                .Select(rule => (rule, RevocationReason(rule, exposure, isAlbGroup))));
        }

        var remaining = mine.Except(revocations.Select(r => r.Rule)).ToList();
        var kept = isAlbGroup
            ? PublicExposures.Find(remaining, prefixLists, settings).Where(e => IsAllowedOnAlb(e, settings)).SelectMany(e => e.Rules)
                .Where(r => KeepsOnAlb(r, settings.AlbAllowedPorts)).Distinct()
                .Select(r => (r, $"ALB group: tcp {r.PortText} is an allowed public port")).ToList()
            : [];
        var grants = revocations
            .SelectMany(r => isAlbGroup ? AlbGrantsReplacing(r.Rule, settings.AlbAllowedPorts) : [])
            .Concat(revocations.SelectMany(r => GrantsReplacing(r.Rule, PublicExposures.SourcesOf(r.Rule, prefixLists), settings.TrustedCidrs)))
            .Where(grant => !remaining.Any(existing => Covers(existing, grant)))
            .DistinctBy(grant => (ProtocolName(grant.Protocol), grant.FromPort, grant.ToPort, grant.Cidr))
            .ToList();
        return new GroupPlan(groupId, revocations, grants, kept, forReview);
    }

    /// <summary>
    /// The widest revocable rules of the exposure, until what is left no longer opens it, and then every other rule as wide
    /// as the last one taken (of 0.0.0.0/1 + 128.0.0.0/1 both go; of 0.0.0.0/0 + 203.0.113.5/32 the /32 stays).
    /// </summary>
    private static List<IngressRule> Closing(
        PublicExposure exposure, HashSet<IngressRule> held, IReadOnlyDictionary<string, PrefixList> prefixLists, PublicIngressRevokerSettings settings)
    {
        int Width(IngressRule rule) => PublicExposures.SourcesOf(rule, prefixLists).Where(b => b.Family == exposure.Family).Max(b => b.HostBits);
        var widestFirst = exposure.Rules.Where(r => !held.Contains(r))
            .OrderByDescending(Width)
            .ThenByDescending(r => PublicAddressSpace.PublicAddresses(PublicExposures.SourcesOf(r, prefixLists), exposure.Family))
            .ThenBy(r => r.RuleId, StringComparer.Ordinal)
            .ToList();
        var left = exposure.Rules.ToList();
        var closing = new List<IngressRule>();
        foreach (var rule in widestFirst)
        {
            if (!Admits(left, exposure, prefixLists, settings) && (closing.Count == 0 || Width(rule) < Width(closing[^1])))
                break;
            closing.Add(rule);
            left.Remove(rule);
        }
        return closing;
    }

    private static bool Admits(IEnumerable<IngressRule> rules, PublicExposure exposure, IReadOnlyDictionary<string, PrefixList> prefixLists, PublicIngressRevokerSettings settings) =>
        PublicAddressSpace.AdmitsAtLeast(rules.SelectMany(r => PublicExposures.SourcesOf(r, prefixLists)), exposure.Family, settings.PublicPercent(exposure.Family));

    private static bool IsAllowedOnAlb(PublicExposure exposure, PublicIngressRevokerSettings settings) =>
        exposure.Protocol == "tcp" && settings.AlbAllowedPorts.Any(a => a.Contains(exposure.Ports.From, exposure.Ports.To));

    /// <summary>Why a rule that opens an exposure is not the machine's to revoke, or null when it may go.</summary>
    private static string? HoldReason(IngressRule rule, IReadOnlyDictionary<string, PrefixList> prefixLists, bool isAlbGroup, PublicIngressRevokerSettings settings)
    {
        var albPorts = isAlbGroup ? AlbPortsHeldBy(rule, settings.AlbAllowedPorts) : [];
        if (rule.PrefixListId is { } id && !IsPublicOnItsOwn(rule, prefixLists, settings))
            return $"{Exposure(rule)} from customer prefix list {id} ({prefixLists[id].Name}) admits part of the public internet; " +
                "the list may be shared and is never edited here";
        if (albPorts.Count > 0 && (settings.AlbWideRules == AlbWideRuleHandling.Report || rule.PrefixListId is not null))
            return $"{Exposure(rule)} open to {Source(rule)} also holds the ALB's public ports ({PortsText(albPorts)}): narrow it by hand" +
                (rule.PrefixListId is null ? ", or set RevokerAlbWideRules to narrow" : "");
        return null;
    }

    private static bool IsPublicOnItsOwn(IngressRule rule, IReadOnlyDictionary<string, PrefixList> prefixLists, PublicIngressRevokerSettings settings) =>
        PublicExposures.SourcesOf(rule, prefixLists) is var sources &&
        sources.Any(b => PublicAddressSpace.AdmitsAtLeast(sources, b.Family, settings.PublicPercent(b.Family)));

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
        rule.Cidr is null ? [] : AlbPortsHeldBy(rule, allowedPorts).Select(ports =>
            new IngressGrant(rule.GroupId, "tcp", ports.From, ports.To, rule.Cidr!, $"ALB port kept from wide public rule {rule.RuleId}"));

    private static string Exposure(IngressRule rule) => rule.IsAllTraffic ? "all traffic" : $"{rule.Protocol} {rule.PortText}";

    private static string PortsText(IEnumerable<PortRange> ports) =>
        string.Join(", ", ports.Select(p => p.From == p.To ? $"tcp {p.From}" : $"tcp {p.From}-{p.To}"));

    private static string Source(IngressRule rule) => rule.Cidr ?? $"prefix list {rule.PrefixListId}";

    private static string RevocationReason(IngressRule rule, PublicExposure exposure, bool isAlbGroup) =>
        $"{Exposure(rule)} open to {Source(rule)}: opens {exposure.Text}" + (isAlbGroup ? " on an ALB group, outside the allowed public ports" : "");

    /// <summary>The revoked rule's protocol and ports for each trusted CIDR of an address family the rule admitted.</summary>
    private static IEnumerable<IngressGrant> GrantsReplacing(IngressRule rule, IReadOnlyList<AddressBlock> sources, IReadOnlyList<IPNetwork> trustedCidrs) =>
        trustedCidrs
            .Where(cidr => sources.Any(b => b.Family == cidr.BaseAddress.AddressFamily))
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
