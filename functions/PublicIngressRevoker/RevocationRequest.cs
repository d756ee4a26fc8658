using System.Text.RegularExpressions;
using Remediators.Core.Aws;
using Remediators.Core.Events;

namespace PublicIngressRevoker;

/// <summary>The Parse step's result: which groups an event asks about, or why it asks about none.</summary>
public abstract partial record RevocationRequest
{
    public sealed record Groups(IReadOnlyList<string> GroupIds) : RevocationRequest;
    public sealed record GroupNamed(string GroupName) : RevocationRequest;
    public sealed record EveryGroup : RevocationRequest;
    public sealed record NothingToDo(string Reason) : RevocationRequest;
    public sealed record Refused(string Reason) : RevocationRequest;

    /// <summary>The event's region picks the EC2 endpoint and its group ids go into the calls, so both must look like what AWS sends.</summary>
    public static RevocationRequest From(Trigger trigger, PublicIngressRevokerSettings settings) => trigger switch
    {
        _ when !AwsEndpoints.IsRegion(trigger.Envelope.Region) => new Refused($"'{trigger.Envelope.Region}' is not an AWS region"),
        CloudTrailCall call => Checked(FromCloudTrail(call.Call)),
        ComplianceChange change => Checked(FromComplianceChange(change, settings)),
        ScheduledSweep => new EveryGroup(),
        _ => new Refused($"{trigger.Envelope.DetailType} events are not handled by this function"),
    };

    private static RevocationRequest FromCloudTrail(CloudTrailDetail call)
    {
        if (call.EventSource != "ec2.amazonaws.com")
            return new Refused($"CloudTrail event from {call.EventSource}, expected ec2.amazonaws.com");
        if (call.ErrorCode is not null)
            return new NothingToDo($"{call.EventName} failed with {call.ErrorCode}, so it changed nothing");
        return call.EventName switch
        {
            "AuthorizeSecurityGroupIngress" => FromAuthorize(call),
            "ModifySecurityGroupRules" =>
                call.RequestParameters.StringAt("ModifySecurityGroupRulesRequest", "GroupId") is { } id
                    ? new Groups([id])
                    : new Refused("ModifySecurityGroupRules event has no requestParameters.ModifySecurityGroupRulesRequest.GroupId"),
            _ => new Refused($"CloudTrail event {call.EventName} is not handled by this function"),
        };
    }

    private static RevocationRequest FromAuthorize(CloudTrailDetail call)
    {
        var fromResponse = call.ResponseElements.ItemsAt("securityGroupRuleSet")
            .Select(item => item.StringAt("groupId")).OfType<string>().Distinct().ToList();
        if (fromResponse.Count > 0)
            return new Groups(fromResponse);
        if (call.RequestParameters.StringAt("groupId") is { } groupId)
            return new Groups([groupId]);
        // In a default VPC the request may name the group only by name.
        return call.RequestParameters.StringAt("groupName") is { } name
            ? new GroupNamed(name)
            : new Refused("AuthorizeSecurityGroupIngress event names no group id or group name");
    }

    private static RevocationRequest FromComplianceChange(ComplianceChange change, PublicIngressRevokerSettings settings)
    {
        var detail = change.Change;
        if (detail.ResourceType != "AWS::EC2::SecurityGroup")
            return new Refused($"Config resource type {detail.ResourceType}, expected AWS::EC2::SecurityGroup");
        if (!settings.ConfigRuleNames.Contains(detail.ConfigRuleName))
            return new Refused($"Config rule {detail.ConfigRuleName} is not one of {PublicIngressRevokerSettings.ConfigRuleNamesVariable}");
        return change.IsNonCompliant
            ? new Groups([detail.ResourceId])
            : new NothingToDo($"{detail.ResourceId} is {detail.NewEvaluationResult.ComplianceType} for {detail.ConfigRuleName}");
    }

    private static RevocationRequest Checked(RevocationRequest request) =>
        request is Groups { GroupIds: var ids } && ids.FirstOrDefault(id => !GroupIdPattern().IsMatch(id)) is { } malformed
            ? new Refused($"'{malformed}' is not a security group id")
            : request;

    [GeneratedRegex(@"^sg-[0-9a-f]{8,17}\z")]
    private static partial Regex GroupIdPattern();
}
