using System.Globalization;
using System.Text.RegularExpressions;
using Remediators.Core.Events;

namespace UnusedKeyDisabler;

/// <summary>The Parse step's result: which keys an event asks about, or why it asks about none.</summary>
public abstract partial record DisableRequest
{
    /// <summary>Every user in the account (scheduled scan).</summary>
    public sealed record EveryUser : DisableRequest;

    /// <summary>One user, named by its id (Config events carry AIDA... ids, not names).</summary>
    public sealed record UserById(string UserId, string ConfigRuleName) : DisableRequest;

    /// <summary>A long-term (AKIA) key GuardDuty reports as compromised: deactivated whatever its use.</summary>
    public sealed record CompromisedKey(string AccessKeyId, string FindingType, double Severity) : DisableRequest;

    /// <summary>A temporary (ASIA) key: a role session, which cannot be deactivated, only reported.</summary>
    public sealed record TemporaryKey(string AccessKeyId, string? PrincipalId, string FindingType) : DisableRequest;

    public sealed record NothingToDo(string Reason) : DisableRequest;
    public sealed record Refused(string Reason) : DisableRequest;

    public static DisableRequest From(Trigger trigger, UnusedKeyDisablerSettings settings) => trigger switch
    {
        ScheduledSweep => new EveryUser(),
        ComplianceChange change => FromComplianceChange(change, settings),
        GuardDutyFindingEvent finding => FromFinding(finding.Finding, settings),
        _ => new Refused($"{trigger.Envelope.DetailType} events are not handled by this function"),
    };

    private static DisableRequest FromComplianceChange(ComplianceChange change, UnusedKeyDisablerSettings settings)
    {
        var detail = change.Change;
        if (detail.ResourceType != "AWS::IAM::User")
            return new Refused($"Config resource type {detail.ResourceType}, expected AWS::IAM::User");
        if (detail.AwsAccountId is { } ruleAccount && ruleAccount != change.Envelope.Account)
            return new Refused($"Config evaluation for account {ruleAccount} arrived in account {change.Envelope.Account}");
        if (!settings.ConfigRuleNames.Contains(detail.ConfigRuleName))
            return new Refused($"Config rule {detail.ConfigRuleName} is not one of {UnusedKeyDisablerSettings.ConfigRuleNamesVariable}");
        return change.IsNonCompliant
            ? new UserById(detail.ResourceId, detail.ConfigRuleName)
            : new NothingToDo($"{detail.ResourceId} is {detail.NewEvaluationResult.ComplianceType} for {detail.ConfigRuleName}");
    }

    private static DisableRequest FromFinding(GuardDutyFinding finding, UnusedKeyDisablerSettings settings)
    {
        if (finding.IsSample)
            return new NothingToDo($"finding {finding.Id} is a GuardDuty sample finding (service.additionalInfo.sample): reported, never acted on");
        if (!settings.FindingTypePrefixes.Any(prefix => finding.Type.StartsWith(prefix, StringComparison.Ordinal)))
            return new NothingToDo($"finding type {finding.Type} matches none of {UnusedKeyDisablerSettings.FindingTypePrefixesVariable}");
        if (finding.Severity < settings.MinFindingSeverity)
            return new NothingToDo(string.Create(CultureInfo.InvariantCulture,
                $"finding severity {finding.Severity} is below {UnusedKeyDisablerSettings.MinFindingSeverityVariable} {settings.MinFindingSeverity}"));
        var details = finding.Resource?.AccessKeyDetails;
        return details?.AccessKeyId switch
        {
            null or "" => new Refused($"finding {finding.Id} names no resource.accessKeyDetails.accessKeyId"),
            var id when !AccessKeyIdPattern().IsMatch(id) => new Refused($"'{id}' is not an access key id"),
            var id when id.StartsWith("AKIA", StringComparison.Ordinal) => new CompromisedKey(id, finding.Type, finding.Severity),
            var id when id.StartsWith("ASIA", StringComparison.Ordinal) => new TemporaryKey(id, details.PrincipalId, finding.Type),
            var id => new Refused($"access key id {id} is neither a long-term (AKIA) nor a temporary (ASIA) key"),
        };
    }

    // IAM's key ids are upper-case letters and digits (20 today; the API allows 16 to 128); anything else would reach IAM as is.
    [GeneratedRegex(@"^A[A-Z0-9]{15,127}\z")]
    private static partial Regex AccessKeyIdPattern();
}
