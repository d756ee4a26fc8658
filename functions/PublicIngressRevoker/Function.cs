using Amazon.EC2;
using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Sweeps;
using Remediators.Core.Targets;

namespace PublicIngressRevoker;

/// <summary>Revokes ingress open to the world, except the allowed public ports of groups that front an ALB.</summary>
public sealed class Function(PublicIngressRevokerSettings settings, Func<string, ISecurityGroupGateway> gatewayForRegion) : IRemediation
{
    public const string Name = "PublicIngressRevoker";

    /// <summary>Assuming member roles and asking Organizations who is a member, granted only while targets beyond this account are on.</summary>
    public static readonly FeatureActions[] TargetIamActions = TargetAccess.FeatureIamActions;

    /// <summary>Taking its sweep's work messages, and listing the organization's accounts to sweep, granted only under those conditions.</summary>
    public static readonly FeatureActions[] SweepIamActions = SweepFanOut.FeatureIamActions;

    public string FunctionName => Name;

    public bool DryRun => settings.Mode == RemediationMode.DryRun;

    public static Task<int> Main() => LambdaHost.RunAsync(() =>
    {
        var env = EnvironmentSettings.FromProcess();
        var settings = PublicIngressRevokerSettings.FromEnvironment(env);
        var aws = AwsClients.FromEnvironment();
        var function = new Function(settings, region => new SecurityGroupGateway(
            aws.Sdk<AmazonEC2Client, AmazonEC2Config>(region, (credentials, config) => new AmazonEC2Client(credentials, config)),
            aws.Elbv2(region)));
        return RemediationHandler.ForLambda(SweepFanOut.Around(function, env, aws, TargetKind.Regional), env, aws);
    });

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var dryRun = DryRun;
        var parsed = EventParser.Parse(payload.Span);
        if (parsed.Trigger is not { Envelope: var envelope } trigger)
            return Outcome.Rejected(Name, context.RequestId, parsed.Rejection!, dryRun);

        // The Runtime API always names the function; only in-process tests run without it.
        if (FunctionScope.Of(context)?.EnvelopeRefusal(envelope) is { } refusal)
            return Outcome.Rejected(Name, envelope.Id, refusal, dryRun);

        Outcome Finish(OutcomeStatus status, string reason, IReadOnlyList<ResourceResult> results, int rulesForReview = 0) =>
            new(Name, envelope.Id, envelope.Account, envelope.Region, status, reason, dryRun, results, Count(results, rulesForReview), 0);

        IReadOnlyList<string>? groupIds;
        switch (RevocationRequest.From(trigger, settings))
        {
            case RevocationRequest.Refused refused:
                return Outcome.Rejected(Name, envelope.Id, refused.Reason, dryRun);
            case RevocationRequest.NothingToDo nothing:
                return Finish(OutcomeStatus.AlreadyCompliant, nothing.Reason, []);
            case RevocationRequest.Groups groups:
                groupIds = groups.GroupIds;
                break;
            case RevocationRequest.GroupNamed named:
                groupIds = await gatewayForRegion(envelope.Region).FindGroupIdsByNameAsync(named.GroupName, cancellationToken);
                if (groupIds.Count == 0)
                    return Finish(OutcomeStatus.AlreadyCompliant, $"the default VPC has no security group named {named.GroupName}", []);
                break;
            default:
                groupIds = null;
                break;
        }

        var remediation = new GroupRemediation(settings, gatewayForRegion(envelope.Region), dryRun);
        var results = await remediation.RunAsync(groupIds, cancellationToken);
        var status = Outcome.Summarize(results);
        return Finish(status, Summary(status, results), results, remediation.RulesLeftForReview);
    }

    private static string Summary(OutcomeStatus status, IReadOnlyList<ResourceResult> results) => results.Count switch
    {
        0 => "no security group has public ingress",
        1 => results[0].Reason,
        _ => $"{status}: {results.Count(r => r.Status is OutcomeStatus.Remediated or OutcomeStatus.DryRun)} of {results.Count} groups changed",
    };

    // Capped and dry-run results list planned changes; remediated ones, and failed ones up to their error, were made.
    private static Dictionary<string, long> Count(IReadOnlyList<ResourceResult> results, int rulesForReview)
    {
        var made = results.Where(r => r.Status is OutcomeStatus.Remediated or OutcomeStatus.Failed).SelectMany(r => r.Changes).ToList();
        return new()
        {
            ["RulesRevoked"] = made.Count(c => c.Action == GroupRemediation.RevokeAction),
            ["GrantsAdded"] = made.Count(c => c.Action == GroupRemediation.AuthorizeAction),
            ["GroupsExempt"] = results.Count(r => r.Status == OutcomeStatus.Exempt),
            ["GroupsCapped"] = results.Count(r => r.Status == OutcomeStatus.Capped),
            ["GroupsFailed"] = results.Count(r => r.Status == OutcomeStatus.Failed),
            ["RulesForReview"] = rulesForReview,
        };
    }
}
