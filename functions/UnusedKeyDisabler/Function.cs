using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Sweeps;
using Remediators.Core.Targets;

namespace UnusedKeyDisabler;

/// <summary>Deactivates IAM access keys nobody uses and long-term keys GuardDuty reports as compromised.</summary>
public sealed class Function(UnusedKeyDisablerSettings settings, IAccessKeyGateway gateway, TimeProvider clock) : IRemediation
{
    public const string Name = "UnusedKeyDisabler";

    /// <summary>Assuming member roles and asking Organizations who is a member, granted only while targets beyond this account are on.</summary>
    public static readonly FeatureActions[] TargetIamActions = TargetAccess.FeatureIamActions;

    /// <summary>Taking its sweep's work messages, and listing the organization's accounts to sweep, granted only under those conditions.</summary>
    public static readonly FeatureActions[] SweepIamActions = SweepFanOut.FeatureIamActions;

    public string FunctionName => Name;

    public bool DryRun => settings.Mode == RemediationMode.DryRun;

    public static Task<int> Main() => LambdaHost.RunAsync(() =>
    {
        var env = EnvironmentSettings.FromProcess();
        var settings = UnusedKeyDisablerSettings.FromEnvironment(env);
        var clock = TestClock.FromEnvironment(env, AwsService.Iam.EnvironmentId);
        var region = env.Optional("AWS_REGION") ?? "us-east-1";
        // IAM is global: the client signs for the partition's home region (us-east-1 in aws) whatever the function's region.
        var aws = AwsClients.FromEnvironment();
        var gateway = new AccessKeyGateway(aws.Iam(region), clock);
        return RemediationHandler.ForLambda(SweepFanOut.Around(new Function(settings, gateway, clock), env, aws, TargetKind.AccountOnly), env, aws);
    });

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var dryRun = DryRun;
        var parsed = EventParser.Parse(payload.Span);
        if (parsed.Trigger is not { Envelope: var envelope } trigger)
            return Outcome.Rejected(Name, context.RequestId, parsed.Rejection!, dryRun);

        Outcome Finish(OutcomeStatus status, string reason, IReadOnlyList<ResourceResult> results) =>
            new(Name, envelope.Id, envelope.Account, envelope.Region, status, reason, dryRun, results, Count(results), 0);

        // IAM is global, so only the account matters: the function's role can reach no other account's users.
        if (FunctionScope.Of(context) is not { } scope)
            return Outcome.Rejected(Name, envelope.Id, FunctionScope.UnknownScopeReason, dryRun);
        if (scope.AccountRefusal(envelope.Account, "the event") is { } outOfScope)
            return Outcome.Rejected(Name, envelope.Id, outOfScope, dryRun);

        var disabling = new KeyDisabling(settings, gateway, clock.GetUtcNow(), dryRun);
        IReadOnlyList<ResourceResult> results;
        switch (DisableRequest.From(trigger, settings))
        {
            case DisableRequest.Refused refused:
                return Outcome.Rejected(Name, envelope.Id, refused.Reason, dryRun);
            case DisableRequest.NothingToDo nothing:
                return Finish(OutcomeStatus.AlreadyCompliant, nothing.Reason, []);
            case DisableRequest.TemporaryKey temporary:
                return Finish(OutcomeStatus.AlreadyCompliant,
                    $"{temporary.AccessKeyId} is a temporary (role session) key and cannot be deactivated: revoke the sessions of {temporary.PrincipalId ?? "its role"} instead",
                    [ResourceResult.NoChange(temporary.AccessKeyId, OutcomeStatus.AlreadyCompliant, $"temporary key named by {temporary.FindingType}; not acted on")]);
            case DisableRequest.UserById byId:
                var user = await gateway.FindUserByIdAsync(byId.UserId, cancellationToken);
                if (user is null)
                    return Finish(OutcomeStatus.AlreadyCompliant, $"no IAM user has id {byId.UserId} any more", []);
                results = await disabling.UserAsync(user, cancellationToken);
                break;
            case DisableRequest.CompromisedKey compromised:
                results = await disabling.CompromisedAsync(compromised, cancellationToken);
                break;
            default:
                results = await disabling.ScanAsync(cancellationToken);
                break;
        }
        var status = Outcome.Summarize(results);
        return Finish(status, Summary(status, results), results);
    }

    private static string Summary(OutcomeStatus status, IReadOnlyList<ResourceResult> results) => results.Count switch
    {
        0 => "no user has an unused access key",
        1 => results[0].Reason,
        _ => $"{status}: {results.Count(r => r.Status is OutcomeStatus.Remediated or OutcomeStatus.DryRun)} key(s) deactivated" +
             $"{(results.Any(r => r.Status == OutcomeStatus.DryRun) ? " (dry run)" : "")}, " +
             $"{results.Count(r => r.Status == OutcomeStatus.Capped)} capped, {results.Count(r => r.Status == OutcomeStatus.Exempt)} exempt user(s)",
    };

    private static Dictionary<string, long> Count(IReadOnlyList<ResourceResult> results) => new()
    {
        ["KeysDeactivated"] = results.Count(r => r.Status == OutcomeStatus.Remediated),
        ["KeysPlanned"] = results.Count(r => r.Status == OutcomeStatus.DryRun),
        ["KeysCapped"] = results.Count(r => r.Status == OutcomeStatus.Capped),
        ["UsersExempt"] = results.Count(r => r.Status == OutcomeStatus.Exempt),
    };
}
