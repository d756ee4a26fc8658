using Remediators.Core.Events;
using Remediators.Core.Remediation;

namespace Remediators.Core.Targets;

/// <summary>
/// The accounts and regions a function may act in: its own (from its ARN, <see cref="Home"/>) and those its settings allow.
/// Pure: resolves an event's target by source and checks it, before any call. With the default settings every refusal reads
/// exactly as <see cref="FunctionScope"/>'s.
/// </summary>
public sealed record TargetScope(FunctionScope Home, TargetSettings Settings)
{
    public Target HomeTarget => new(Home.Account, Home.Region);

    public bool IsHome(string account) => account == Home.Account;

    /// <summary>Why <paramref name="account"/> may not be acted in, or null. In organization mode membership is checked later, by a call.</summary>
    public string? AccountRefusal(string? account, string what)
    {
        if (account is null || IsHome(account) || Settings.Accounts.Contains(account))
            return null;
        if (Settings.IsOwnAccountOnly)
            return Home.AccountRefusal(account, what);
        if (Settings.WholeOrganization)
            return TargetSettings.AccountIdPattern().IsMatch(account) ? null : $"{what} names '{account}', which is not an AWS account id";
        return $"{what} names account {account}; this function acts only in account {Home.Account} and those of {TargetSettings.TargetAccountsVariable}";
    }

    public string? RegionRefusal(string? region, string what)
    {
        if (region is null || region == Home.Region || Settings.Regions.Contains(region))
            return null;
        return Settings.Regions.Count == 0
            ? Home.RegionRefusal(region, what)
            : $"{what} names region {region}; this function acts only in region {Home.Region} and those of {TargetSettings.TargetRegionsVariable}";
    }

    public string? EnvelopeRefusal(EventBridgeEvent envelope, TargetKind kind) =>
        AccountRefusal(envelope.Account, "the event") ?? (kind == TargetKind.Regional ? RegionRefusal(envelope.Region, "the event") : null);

    /// <summary>
    /// The event's target by source: a GuardDuty finding names it in <c>detail.accountId</c> / <c>detail.region</c> (its envelope
    /// names the administrator account); CloudTrail and Config events, and schedules, in the envelope, which the detail's own
    /// account and region must agree with. For <see cref="TargetKind.AccountOnly"/> the region is the function's own.
    /// </summary>
    public TargetResolution Resolve(Trigger trigger, TargetKind kind)
    {
        var envelope = trigger.Envelope;
        if (EnvelopeRefusal(envelope, kind) is { } outOfScope)
            return TargetResolution.Refused(outOfScope);
        var (account, region, disagreement) = trigger switch
        {
            GuardDutyFindingEvent finding => (finding.Finding.AccountId ?? envelope.Account, finding.Finding.Region ?? envelope.Region, null),
            CloudTrailCall call => (envelope.Account, envelope.Region,
                Disagreement("CloudTrail event", call.Call.RecipientAccountId, call.Call.AwsRegion, envelope, kind)),
            ComplianceChange change => (envelope.Account, envelope.Region,
                Disagreement("Config evaluation", change.Change.AwsAccountId, change.Change.AwsRegion, envelope, kind)),
            _ => (envelope.Account, envelope.Region, (string?)null),
        };
        if (disagreement is not null)
            return TargetResolution.Refused(disagreement);
        if ((AccountRefusal(account, "the finding") ?? (kind == TargetKind.Regional ? RegionRefusal(region, "the finding") : null)) is { } refusal)
            return TargetResolution.Refused(refusal);
        return TargetResolution.Of(new Target(account, kind == TargetKind.Regional ? region : Home.Region));
    }

    // The same words the functions' Parse steps used for an account mismatch, so single-account refusals read as before.
    private static string? Disagreement(string what, string? account, string? region, EventBridgeEvent envelope, TargetKind kind) =>
        account is not null && account != envelope.Account ? $"{what} for account {account} arrived in account {envelope.Account}"
        : kind == TargetKind.Regional && region is not null && region != envelope.Region ? $"{what} for region {region} arrived in region {envelope.Region}"
        : null;
}
