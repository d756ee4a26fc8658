using System.Text.Json;
using Remediators.Core.Aws;
using Remediators.Core.Events;

namespace PublicIngressRevoker;

/// <summary>The Parse step for subnet events: which subnet an event asks about, or why none; null for events about security groups.</summary>
public abstract record SubnetPublicIpRequest
{
    public sealed record Subnet(string SubnetId) : SubnetPublicIpRequest;
    public sealed record NothingToDo(string Reason) : SubnetPublicIpRequest;
    public sealed record Refused(string Reason) : SubnetPublicIpRequest;

    public const string SubnetResourceType = "AWS::EC2::Subnet";

    private static readonly HashSet<string> SubnetCalls = new(["ModifySubnetAttribute", "CreateSubnet", "CreateDefaultSubnet"], StringComparer.Ordinal);

    public static SubnetPublicIpRequest? From(Trigger trigger, PublicIngressRevokerSettings settings)
    {
        var isSubnetEvent = trigger switch
        {
            CloudTrailCall { Call: var call } => call.EventSource == "ec2.amazonaws.com" && SubnetCalls.Contains(call.EventName),
            ComplianceChange { Change: var change } => change.ResourceType == SubnetResourceType,
            _ => false,
        };
        if (!isSubnetEvent)
            return null;
        if (!AwsEndpoints.IsRegion(trigger.Envelope.Region))
            return new Refused($"'{trigger.Envelope.Region}' is not an AWS region");
        if (settings.Subnets.Handling == SubnetPublicIpHandling.Off)
            return new NothingToDo($"{SubnetPublicIpSettings.HandlingVariable} is off, so subnets are not checked");
        var request = trigger is CloudTrailCall cloudTrail ? FromCloudTrail(cloudTrail.Call) : FromComplianceChange((ComplianceChange)trigger, settings);
        return request is Subnet { SubnetId: var id } && !SubnetPublicIpSettings.IsSubnetId(id)
            ? new Refused($"'{id}' is not a subnet id")
            : request;
    }

    private static SubnetPublicIpRequest FromCloudTrail(CloudTrailDetail call)
    {
        if (call.ErrorCode is not null)
            return new NothingToDo($"{call.EventName} failed with {call.ErrorCode}, so it changed nothing");
        if (call.EventName != "ModifySubnetAttribute")
            return call.ResponseElements.StringAt("subnet", "subnetId") is { } created
                ? new Subnet(created)
                : new Refused($"{call.EventName} event has no responseElements.subnet.subnetId");
        if (call.RequestParameters.StringAt("subnetId") is not { } subnetId)
            return new Refused("ModifySubnetAttribute event has no requestParameters.subnetId");
        // One call changes one attribute: only turning auto-assign on can expose anything, and the revoker's own change turns it off.
        return MapsPublicIp(call.RequestParameters) switch
        {
            null => new NothingToDo($"ModifySubnetAttribute changed another attribute of {subnetId} than MapPublicIpOnLaunch"),
            false => new NothingToDo($"ModifySubnetAttribute turned MapPublicIpOnLaunch off on {subnetId}"),
            true => new Subnet(subnetId),
        };
    }

    /// <summary>CloudTrail records the attribute as <c>"mapPublicIpOnLaunch": {"value": true}</c>; null when the call set another one.</summary>
    private static bool? MapsPublicIp(JsonElement requestParameters) =>
        requestParameters.TryGetPropertyIgnoreCase("mapPublicIpOnLaunch", out var attribute) && attribute.TryGetPropertyIgnoreCase("value", out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => bool.TryParse(value.GetString(), out var parsed) ? parsed : null,
                _ => null,
            }
            : null;

    private static SubnetPublicIpRequest FromComplianceChange(ComplianceChange change, PublicIngressRevokerSettings settings)
    {
        var detail = change.Change;
        if (!settings.ConfigRuleNames.Contains(detail.ConfigRuleName))
            return new Refused($"Config rule {detail.ConfigRuleName} is not one of {PublicIngressRevokerSettings.ConfigRuleNamesVariable}");
        return change.IsNonCompliant
            ? new Subnet(detail.ResourceId)
            : new NothingToDo($"{detail.ResourceId} is {detail.NewEvaluationResult.ComplianceType} for {detail.ConfigRuleName}");
    }
}
