using System.Net;
using System.Text.RegularExpressions;

namespace Remediators.IntegrationTests.Resilience.Scenario.EndState;

/// <summary>
/// The revoker in enforce mode: every group an event names (a sweep names them all), unless exempt, ends with no ingress open
/// to 0.0.0.0/0 or ::/0, except on an ALB group a tcp rule inside 80 or 443; each revoked rule is replaced by the same ports
/// from each trusted CIDR of its address family (once). Egress, tags, other groups' rules and non-public rules stay as they were.
/// ALB groups: "alb" fronts a load balancer ELBv2 lists; "legacy-alb" has only an ENI named "ELB app/..." and no load balancer
/// (moto makes no ENIs for load balancers), which the revoker consults only when it may not call ELBv2.
/// </summary>
public sealed partial class RevokerEndState(IReadOnlyList<string> initial) : IEndStateRules
{
    private static readonly string[] Exempt = ["tagged", "allowlisted"];
    private static readonly int[] AlbAllowedPorts = [80, 443];
    private static readonly string[] World = ["0.0.0.0/0", "::/0"];

    private readonly List<string> _lines = [.. initial.Where(line => line.StartsWith("group ", StringComparison.Ordinal))];

    public bool Owns(string line) => line.StartsWith("group ", StringComparison.Ordinal);

    public void Apply(ScenarioEvent scenarioEvent)
    {
        var facts = scenarioEvent.Facts;
        foreach (var opened in facts.Opened)
        {
            var cidr = opened.Ipv4Ranges?.SingleOrDefault()?.CidrIp ?? opened.Ipv6Ranges.Single().CidrIpv6;
            AddOnce($"group {facts.Target}: {opened.IpProtocol} {opened.FromPort}-{opened.ToPort} from {cidr} ()");
        }
        var named = facts.Target is { } target ? [target] : _lines.Select(l => Ingress().Match(l)).Where(m => m.Success).Select(m => m.Groups["group"].Value).Distinct().ToList();
        foreach (var group in named.Except(Exempt))
            Revoke(group, scenarioEvent.DenyElb);
    }

    public IEnumerable<string> Expected() => _lines;

    /// <param name="elbDenied">The revoker may not call ELBv2, so it finds ALBs through their network interfaces.</param>
    private void Revoke(string group, bool elbDenied)
    {
        var publicRules = _lines.Select(l => (Line: l, Match: Ingress().Match(l)))
            .Where(r => r.Match.Success && r.Match.Groups["group"].Value == group && World.Contains(r.Match.Groups["peer"].Value))
            .ToList();
        var before = _lines.ToList();
        foreach (var (line, match) in publicRules)
        {
            var ports = match.Groups["ports"].Value;
            if ((group == "alb" || (group == "legacy-alb" && elbDenied)) && AlbAllowedPorts.Any(port => ports == $"tcp {port}-{port}"))
                continue;
            _lines.Remove(line);
            var ipv6 = match.Groups["peer"].Value.Contains(':', StringComparison.Ordinal);
            foreach (var trusted in ScenarioFunctions.TrustedCidrs.Where(c => (c.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == ipv6))
            {
                if (!_lines.Any(l => l.StartsWith($"group {group}: {ports} from {trusted} (", StringComparison.Ordinal))
                    && !before.Any(l => TrustedCovers(l, group, ports, trusted.ToString())))
                    _lines.Add($"group {group}: {ports} from {trusted} (Trusted replacement for public rule sgr-*)");
            }
        }
    }

    /// <summary>A trusted rule the group already held admits the ports, so the revoker grants nothing more for them.</summary>
    private static bool TrustedCovers(string line, string group, string ports, string trusted)
    {
        var match = Ingress().Match(line);
        if (!match.Success || match.Groups["group"].Value != group || match.Groups["peer"].Value != trusted)
            return false;
        var held = match.Groups["ports"].Value;
        if (held == "all")
            return true;
        var (heldProtocol, heldFrom, heldTo) = Range(held);
        var (protocol, from, to) = Range(ports);
        return ports != "all" && heldProtocol == protocol && heldFrom <= from && to <= heldTo;
    }

    private static (string Protocol, int From, int To) Range(string ports)
    {
        if (ports == "all")
            return ("all", -1, -1);
        var parts = Regex.Match(ports, @"^(?<protocol>\S+) (?<from>-?\d+)-(?<to>-?\d+)$");
        return (parts.Groups["protocol"].Value, int.Parse(parts.Groups["from"].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(parts.Groups["to"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private void AddOnce(string line)
    {
        if (!_lines.Contains(line))
            _lines.Add(line);
    }

    [GeneratedRegex(@"^group (?<group>[^:]+): (?<ports>all|\S+ -?\d+--?\d+) from (?<peer>\S+) \(")]
    private static partial Regex Ingress();
}
