using System.Text.Json;

namespace Remediators.Core.Events;

/// <summary>
/// The fields of a GuardDuty finding (detail of "GuardDuty Finding") that remediations read, and only those: a field no
/// decision reads cannot make a finding malformed, whatever its shape.
/// </summary>
public sealed record GuardDutyFinding
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required double Severity { get; init; }
    public string? AccountId { get; init; }
    public string? Region { get; init; }
    public FindingResource? Resource { get; init; }
    public FindingService? Service { get; init; }

    /// <summary>GuardDuty's generated sample findings (<c>service.additionalInfo.sample</c>) describe no real activity.</summary>
    public bool IsSample => Service?.AdditionalInfo is { ValueKind: JsonValueKind.Object } info &&
        info.TryGetPropertyIgnoreCase("sample", out var sample) &&
        (sample.ValueKind == JsonValueKind.True || (sample.ValueKind == JsonValueKind.String && string.Equals(sample.GetString(), "true", StringComparison.OrdinalIgnoreCase)));
}

public sealed record FindingResource(AccessKeyDetails? AccessKeyDetails, InstanceDetails? InstanceDetails);

public sealed record AccessKeyDetails(string? AccessKeyId, string? PrincipalId);

public sealed record InstanceDetails(FindingNetworkInterface[]? NetworkInterfaces);

public sealed record FindingNetworkInterface(string? SubnetId);

/// <param name="AdditionalInfo">Kept as it came: only its <c>sample</c> flag is read, and its other fields vary by finding type.</param>
public sealed record FindingService(FindingAction? Action, string? ResourceRole, DateTimeOffset? EventLastSeen, JsonElement AdditionalInfo);

public sealed record FindingAction(
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
