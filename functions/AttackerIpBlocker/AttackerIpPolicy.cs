using System.Globalization;
using Remediators.Core.Blocklist;
using Remediators.Core.Events;
using Remediators.Core.Targets;

namespace AttackerIpBlocker;

/// <summary>A remote address a finding names, where it was found, and the connection direction when the action has one.</summary>
public sealed record RemoteAddress(string Text, string Action, string? ConnectionDirection);

/// <summary>The decision about one address of one finding: blocked (with the address to block) or refused with the reason.</summary>
public sealed record AddressDecision(string Text, BlockableAddress? Block, string? Refusal);

/// <summary>
/// The decision about one finding: when it saw its addresses, what to do with each, the account and region it is of (null when
/// refused), and the subnets there a NACL deny may cover.
/// </summary>
public sealed record FindingDecision(
    string FindingId, string FindingType, DateTimeOffset SeenAt, IReadOnlyList<AddressDecision> Addresses, IReadOnlyList<string> SubnetIds, string? NothingReason)
{
    public Target? Target { get; init; }
}

/// <summary>
/// What a decision needs besides the finding and the settings: the time, the finding's target as admitted (or why it is
/// refused), and that target account's own public addresses.
/// </summary>
public sealed record DecisionContext(DateTimeOffset Now, TargetResolution Admitted, OwnAddresses Own);

/// <summary>
/// The pure decision: which remote addresses of a GuardDuty finding may be blocked. Only an attacker is blocked — the finding's
/// resource is the target (<c>resourceRole = TARGET</c>) of an inbound action (a network connection coming in, a port probe, or
/// an API call from an address on a threat list) — and only a public unicast host that is neither allowlisted (see
/// <see cref="AddressClassifier"/>) nor one of the finding's account's own public addresses. Sample findings, and findings of an
/// account or region the function may not act in, block nothing.
/// </summary>
public static class AttackerIpPolicy
{
    public const string NetworkConnection = "networkConnectionAction";
    public const string PortProbe = "portProbeAction";
    public const string AwsApiCall = "awsApiCallAction";
    public const string KubernetesApiCall = "kubernetesApiCallAction";
    public const string RdsLoginAttempt = "rdsLoginAttemptAction";

    /// <summary>
    /// The part after the '/' of the finding types whose caller GuardDuty found on a threat list (its own or a custom one, ".Custom"):
    /// e.g. UnauthorizedAccess:IAMUser/MaliciousIPCaller, Discovery:Kubernetes/TorIPCaller, CredentialAccess:RDS/MaliciousIPCaller.FailedLogin.
    /// </summary>
    public static readonly string[] KnownMaliciousCallerNames = ["MaliciousIPCaller", "TorIPCaller"];

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
        Add(action.NetworkConnectionAction?.RemoteIpDetails, NetworkConnection, action.NetworkConnectionAction?.ConnectionDirection ?? "UNKNOWN");
        Add(action.AwsApiCallAction?.RemoteIpDetails, AwsApiCall, null);
        // A JSON null in a list names nothing.
        foreach (var probe in (action.PortProbeAction?.PortProbeDetails ?? []).OfType<PortProbeDetail>())
            Add(probe.RemoteIpDetails, PortProbe, null);
        Add(action.KubernetesApiCallAction?.RemoteIpDetails, KubernetesApiCall, null);
        Add(action.RdsLoginAttemptAction?.RemoteIpDetails, RdsLoginAttempt, null);
        return found;
    }

    public static FindingDecision Decide(ReceivedFinding received, DecisionContext context, AttackerIpBlockerSettings settings)
    {
        var finding = received.Finding;
        var seenAt = SightingTime(finding, received.Envelope, context.Now);
        var remote = RemoteAddresses(finding);
        if (remote.Count == 0)
            return new FindingDecision(finding.Id, finding.Type, seenAt, [], [], $"finding {finding.Id} ({finding.Type}) names no remote IP address");

        var findingRefusal = context.Admitted.Refusal ?? FindingRefusal(finding, seenAt, context.Now, settings);
        var addresses = remote.Select(address => findingRefusal is not null
            ? new AddressDecision(address.Text, null, findingRefusal)
            : DecideAddress(finding, address, settings, context.Own)).ToList();
        return findingRefusal is null
            ? new FindingDecision(finding.Id, finding.Type, seenAt, addresses, InstanceSubnets(finding), null) { Target = context.Admitted.Target }
            : new FindingDecision(finding.Id, finding.Type, seenAt, addresses, [], null);
    }

    /// <summary>Why no address of the finding may be blocked, whatever the address: a sample, severity, type, age, or the resource acting.</summary>
    public static string? FindingRefusal(GuardDutyFinding finding, DateTimeOffset seenAt, DateTimeOffset now, AttackerIpBlockerSettings settings)
    {
        if (finding.IsSample)
            return "a GuardDuty sample finding (service.additionalInfo.sample): it describes no real activity";
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

    public static AddressDecision DecideAddress(GuardDutyFinding finding, RemoteAddress address, AttackerIpBlockerSettings settings, OwnAddresses own)
    {
        if (address.ConnectionDirection is { } direction && !string.Equals(direction, "INBOUND", StringComparison.OrdinalIgnoreCase))
            return new AddressDecision(address.Text, null, $"{address.Action} direction is {direction}, not INBOUND: the remote side did not connect in");
        if (address.Action is not (NetworkConnection or PortProbe) && !settings.BlockApiCallerFindings && !IsKnownMaliciousCaller(finding.Type))
            return new AddressDecision(address.Text, null,
                $"{address.Action} of {finding.Type} names the caller of an API, often the account's own NAT gateway or an operator, not a known-malicious " +
                $"address; {AttackerIpBlockerSettings.BlockApiCallerFindingsVariable} is off");
        var verdict = AddressClassifier.Classify(address.Text, settings.Addresses);
        if (verdict.Blockable is { } blockable && own.HolderOf(blockable.Address) is { } holder)
            return new AddressDecision(address.Text, null, $"the account's own public address ({holder})");
        return new AddressDecision(address.Text, verdict.Blockable, verdict.Refusal);
    }

    /// <summary>A finding type naming a caller GuardDuty found on a threat list, e.g. Recon:IAMUser/MaliciousIPCaller.Custom.</summary>
    public static bool IsKnownMaliciousCaller(string findingType)
    {
        var slash = findingType.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? "" : findingType[(slash + 1)..];
        return KnownMaliciousCallerNames.Any(known => name == known || name.StartsWith(known + ".", StringComparison.Ordinal));
    }

    /// <summary>When the finding last saw its activity, never later than now: a clock ahead must not stretch a block.</summary>
    public static DateTimeOffset SightingTime(GuardDutyFinding finding, EventBridgeEvent envelope, DateTimeOffset now)
    {
        var seen = finding.Service?.EventLastSeen ?? envelope.Time ?? now;
        return seen > now ? now : seen;
    }

    /// <summary>The attacked instance's subnets, in the finding's account and region, which a NACL deny may cover.</summary>
    private static IReadOnlyList<string> InstanceSubnets(GuardDutyFinding finding) =>
        [.. (finding.Resource?.InstanceDetails?.NetworkInterfaces ?? []).OfType<FindingNetworkInterface>().Select(n => n.SubnetId).OfType<string>().Where(s => s.Length > 0).Distinct()];
}
