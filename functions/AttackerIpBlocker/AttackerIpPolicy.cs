using System.Globalization;
using Remediators.Core.Blocklist;
using Remediators.Core.Events;

namespace AttackerIpBlocker;

/// <summary>A remote address a finding names, where it was found, and the connection direction when the action has one.</summary>
public sealed record RemoteAddress(string Text, string Action, string? ConnectionDirection);

/// <summary>The decision about one address of one finding: blocked (with the address to block) or refused with the reason.</summary>
public sealed record AddressDecision(string Text, BlockableAddress? Block, string? Refusal);

/// <summary>The decision about one finding: when it saw its addresses, what to do with each, and the subnets a NACL deny may cover.</summary>
public sealed record FindingDecision(
    string FindingId, string FindingType, DateTimeOffset SeenAt, IReadOnlyList<AddressDecision> Addresses, IReadOnlyList<string> SubnetIds, string? NothingReason);

/// <summary>
/// The pure decision: which remote addresses of a GuardDuty finding may be blocked. Only an attacker is blocked — the finding's
/// resource is the target (<c>resourceRole = TARGET</c>) and a network connection came in — and only a public unicast host
/// that is not allowlisted (see <see cref="AddressClassifier"/>).
/// </summary>
public static class AttackerIpPolicy
{
    /// <summary>Every remote IPv4 and IPv6 address of every action type GuardDuty reports remote addresses in.</summary>
    public static IReadOnlyList<RemoteAddress> RemoteAddresses(GuardDutyFinding finding)
    {
        var action = finding.Service?.Action;
        if (action is null)
            return [];
        var found = new List<RemoteAddress>();
        void Add(RemoteIpDetails? details, string where, string? direction)
        {
            foreach (var text in new[] { details?.IpAddressV4, details?.IpAddressV6 })
            {
                if (!string.IsNullOrWhiteSpace(text))
                    found.Add(new RemoteAddress(text, where, direction));
            }
        }
        Add(action.NetworkConnectionAction?.RemoteIpDetails, "networkConnectionAction", action.NetworkConnectionAction?.ConnectionDirection ?? "UNKNOWN");
        Add(action.AwsApiCallAction?.RemoteIpDetails, "awsApiCallAction", null);
        // A JSON null in a list names nothing.
        foreach (var probe in (action.PortProbeAction?.PortProbeDetails ?? []).OfType<PortProbeDetail>())
            Add(probe.RemoteIpDetails, "portProbeAction", null);
        Add(action.KubernetesApiCallAction?.RemoteIpDetails, "kubernetesApiCallAction", null);
        Add(action.RdsLoginAttemptAction?.RemoteIpDetails, "rdsLoginAttemptAction", null);
        return found;
    }

    public static FindingDecision Decide(ReceivedFinding received, DateTimeOffset now, AttackerIpBlockerSettings settings)
    {
        var finding = received.Finding;
        var seenAt = SightingTime(finding, received.Envelope, now);
        var remote = RemoteAddresses(finding);
        if (remote.Count == 0)
            return new FindingDecision(finding.Id, finding.Type, seenAt, [], [], $"finding {finding.Id} ({finding.Type}) names no remote IP address");

        var findingRefusal = FindingRefusal(finding, seenAt, now, settings);
        var addresses = remote.Select(address => findingRefusal is not null
            ? new AddressDecision(address.Text, null, findingRefusal)
            : DecideAddress(finding, address, settings.Addresses)).ToList();
        return new FindingDecision(finding.Id, finding.Type, seenAt, addresses, NaclSubnets(received), null);
    }

    /// <summary>Why no address of the finding may be blocked, whatever the address: severity, type, age, or the resource acting.</summary>
    public static string? FindingRefusal(GuardDutyFinding finding, DateTimeOffset seenAt, DateTimeOffset now, AttackerIpBlockerSettings settings)
    {
        if (finding.Severity < settings.MinFindingSeverity)
            return string.Create(CultureInfo.InvariantCulture,
                $"finding severity {finding.Severity} is below {AttackerIpBlockerSettings.MinFindingSeverityVariable} {settings.MinFindingSeverity}");
        if (settings.FindingTypePrefixes.Count > 0 && !settings.FindingTypePrefixes.Any(p => finding.Type.StartsWith(p, StringComparison.Ordinal)))
            return $"finding type {finding.Type} matches none of {AttackerIpBlockerSettings.FindingTypePrefixesVariable}";
        if (!string.Equals(finding.Service?.ResourceRole, "TARGET", StringComparison.OrdinalIgnoreCase))
            return $"resourceRole is {finding.Service?.ResourceRole ?? "missing"}, not TARGET: the remote side is not the actor";
        if (seenAt + settings.Retention <= now)
            return $"last seen {Iso.Format(seenAt)}, more than {settings.RetentionHours} h ago: its block would already have ended";
        return null;
    }

    public static AddressDecision DecideAddress(GuardDutyFinding finding, RemoteAddress address, AddressRules rules)
    {
        if (address.ConnectionDirection is { } direction && !string.Equals(direction, "INBOUND", StringComparison.OrdinalIgnoreCase))
            return new AddressDecision(address.Text, null, $"{address.Action} direction is {direction}, not INBOUND: the remote side did not connect in");
        var verdict = AddressClassifier.Classify(address.Text, rules);
        return new AddressDecision(address.Text, verdict.Blockable, verdict.Refusal);
    }

    /// <summary>When the finding last saw its activity, never later than now: a clock ahead must not stretch a block.</summary>
    public static DateTimeOffset SightingTime(GuardDutyFinding finding, EventBridgeEvent envelope, DateTimeOffset now)
    {
        var seen = finding.Service?.EventLastSeen ?? envelope.Time ?? now;
        return seen > now ? now : seen;
    }

    /// <summary>The instance's subnets, only for a finding of this account and region: another account's ACLs are out of reach.</summary>
    private static IReadOnlyList<string> NaclSubnets(ReceivedFinding received)
    {
        var finding = received.Finding;
        if ((finding.AccountId ?? received.Envelope.Account) != received.Envelope.Account || (finding.Region ?? received.Envelope.Region) != received.Envelope.Region)
            return [];
        return [.. (finding.Resource?.InstanceDetails?.NetworkInterfaces ?? []).OfType<FindingNetworkInterface>().Select(n => n.SubnetId).OfType<string>().Where(s => s.Length > 0).Distinct()];
    }
}
