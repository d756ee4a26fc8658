using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>
/// An oracle written apart from the policy: which ports the generators' rules open to the whole public internet. Of their
/// CIDRs only 0.0.0.0/0, 0.0.0.0/1 with 128.0.0.0/1, ::/0 and ::/1 (which holds all of 2000::/3) reach every public address.
/// </summary>
public static class WholeInternet
{
    public static readonly string?[] Wide = ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "::/0", "::/1"];

    private static readonly int[] Ports = [0, 21, 22, 79, 80, 81, 442, 443, 444, 3389, 65535];

    public static bool Admits(IngressRule rule, string protocol, int port) =>
        !rule.IsEgress && rule.PrefixListId is null && rule.ReferencedGroupId is null &&
        (rule.Protocol == "-1" || (Name(rule.Protocol) == protocol && (protocol is not ("tcp" or "udp") || (rule.FromPort <= port && port <= rule.ToPort))));

    /// <summary>(protocol, port, family) triples open to the whole public internet, checked at every rule edge and the usual ports.</summary>
    public static IEnumerable<(string Protocol, int Port, string Family)> OpenPorts(IReadOnlyList<IngressRule> rules)
    {
        var ports = Ports.Concat(rules.SelectMany(r => new[] { r.FromPort - 1, r.FromPort, r.ToPort, r.ToPort + 1 })).Where(p => p is >= 0 and <= 65535).Distinct();
        foreach (var protocol in new[] { "tcp", "udp", "icmp" })
            foreach (var port in protocol == "icmp" ? [0] : ports)
            {
                var cidrs = rules.Where(r => Admits(r, protocol, port)).Select(r => r.Cidr).ToHashSet();
                if (cidrs.Contains("0.0.0.0/0") || (cidrs.Contains("0.0.0.0/1") && cidrs.Contains("128.0.0.0/1")))
                    yield return (protocol, port, "IPv4");
                if (cidrs.Contains("::/0") || cidrs.Contains("::/1"))
                    yield return (protocol, port, "IPv6");
            }
    }

    /// <summary>The group's rules once the plan is applied: grants added, revoked rules gone.</summary>
    public static List<IngressRule> After(IReadOnlyList<IngressRule> rules, GroupPlan plan) =>
    [
        .. rules.Where(r => plan.Revocations.All(revoked => revoked.Rule.RuleId != r.RuleId)),
        .. plan.Grants.Select(g => new IngressRule("sgr-new", g.GroupId, false, g.Protocol, g.FromPort, g.ToPort,
            g.IsIpv6 ? null : g.Cidr, g.IsIpv6 ? g.Cidr : null, null, null, g.Description)),
    ];

    private static string Name(string protocol) => protocol switch { "6" => "tcp", "17" => "udp", "1" => "icmp", _ => protocol };
}
