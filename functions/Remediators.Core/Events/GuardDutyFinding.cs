namespace Remediators.Core.Events;

/// <summary>The fields of a GuardDuty finding (detail of "GuardDuty Finding") that remediations read.</summary>
public sealed record GuardDutyFinding
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required double Severity { get; init; }
    public string? AccountId { get; init; }
    public string? Region { get; init; }
    public string? Partition { get; init; }
    public FindingResource? Resource { get; init; }
    public FindingService? Service { get; init; }
}

public sealed record FindingResource(
    string? ResourceType, AccessKeyDetails? AccessKeyDetails, InstanceDetails? InstanceDetails);

public sealed record AccessKeyDetails(string? AccessKeyId, string? PrincipalId, string? UserName, string? UserType);

public sealed record InstanceDetails(string? InstanceId, FindingNetworkInterface[]? NetworkInterfaces);

public sealed record FindingNetworkInterface(string? NetworkInterfaceId, string? SubnetId, string? VpcId);

public sealed record FindingService(
    FindingAction? Action, string? ResourceRole, DateTimeOffset? EventFirstSeen, DateTimeOffset? EventLastSeen, int? Count);

public sealed record FindingAction(
    string? ActionType,
    NetworkConnectionAction? NetworkConnectionAction,
    RemoteIpAction? AwsApiCallAction,
    PortProbeAction? PortProbeAction,
    RemoteIpAction? KubernetesApiCallAction,
    RemoteIpAction? RdsLoginAttemptAction);

public sealed record NetworkConnectionAction(string? ConnectionDirection, RemoteIpDetails? RemoteIpDetails);

public sealed record RemoteIpAction(RemoteIpDetails? RemoteIpDetails);

public sealed record PortProbeAction(PortProbeDetail[]? PortProbeDetails);

public sealed record PortProbeDetail(RemoteIpDetails? RemoteIpDetails);

public sealed record RemoteIpDetails(string? IpAddressV4, string? IpAddressV6);
