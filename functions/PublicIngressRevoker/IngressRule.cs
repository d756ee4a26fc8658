namespace PublicIngressRevoker;

/// <summary>A security group rule as the policy sees it (no AWS SDK types). Ports are -1 for all-traffic and ICMP "any".</summary>
public sealed record IngressRule(
    string RuleId,
    string GroupId,
    bool IsEgress,
    string Protocol,
    int FromPort,
    int ToPort,
    string? CidrIpv4,
    string? CidrIpv6,
    string? PrefixListId,
    string? ReferencedGroupId,
    string? Description)
{
    public string? Cidr => CidrIpv4 ?? CidrIpv6;

    public bool IsAllTraffic => Protocol == "-1";

    public string PortText => IsAllTraffic ? "all" : FromPort == ToPort ? $"{FromPort}" : $"{FromPort}-{ToPort}";
}

/// <summary>A rule to add before a public rule goes: its ports for a trusted CIDR, or an ALB's allowed ports from the same CIDR.</summary>
public sealed record IngressGrant(string GroupId, string Protocol, int FromPort, int ToPort, string Cidr, string Description)
{
    public bool IsIpv6 => Cidr.Contains(':', StringComparison.Ordinal);
}

/// <summary>
/// What to do to one group: rules to revoke (with reasons), grants to add first, public rules kept (with reasons), and public
/// rules left alone for a person because no change is safe for the machine to make (with reasons).
/// </summary>
public sealed record GroupPlan(
    string GroupId,
    IReadOnlyList<(IngressRule Rule, string Reason)> Revocations,
    IReadOnlyList<IngressGrant> Grants,
    IReadOnlyList<(IngressRule Rule, string Reason)> Kept,
    IReadOnlyList<(IngressRule Rule, string Reason)> ForReview)
{
    public bool IsEmpty => Revocations.Count == 0 && Grants.Count == 0;
}
