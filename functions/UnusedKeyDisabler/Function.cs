using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Sweeps;
using Remediators.Core.Targets;

namespace UnusedKeyDisabler;

/// <summary>Deactivates IAM access keys nobody uses and long-term keys GuardDuty reports as compromised.</summary>
/// <param name="gatewayFor">IAM's verbs in one target account (called after <see cref="TargetAccess.ConnectAsync"/>).</param>
/// <param name="targets">Which accounts it may act in; null is its own only (in-process tests).</param>
public sealed class Function(UnusedKeyDisablerSettings settings, Func<Target, IAccessKeyGateway> gatewayFor, TimeProvider clock, TargetAccess? targets = null) : IRemediation
{
    private readonly TargetAccess _targets = targets ?? TargetAccess.OwnAccountOnly(Name);

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
        var targets = TargetAccess.FromEnvironment(Name, env, aws);
        var function = new Function(settings, target => new AccessKeyGateway(targets.ClientsFor(target).Iam(region), clock), clock, targets);
        return RemediationHandler.ForLambda(SweepFanOut.Around(function, env, aws, TargetKind.AccountOnly), env, aws);
    });

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var dryRun = DryRun;
        var parsed = EventParser.Parse(payload.Span);
        if (parsed.Trigger is not { Envelope: var envelope } trigger)
            return Outcome.Rejected(Name, context.RequestId, parsed.Rejection!, dryRun);

        // IAM is global, so only the account matters: a GuardDuty finding names it in detail.accountId, a Config event in its envelope.
        var admitted = await _targets.AdmitAsync(trigger, context, TargetKind.AccountOnly, cancellationToken);
        if (admitted.Target is not { } target)
            return Outcome.Rejected(Name, envelope.Id, admitted.Refusal!, dryRun);

        // The region stays the event's, as in one account: IAM has none of its own.
        Outcome Finish(OutcomeStatus status, string reason, IReadOnlyList<ResourceResult> results) =>
            new(Name, envelope.Id, target.Account, envelope.Region, status, reason, dryRun, _targets.WithUndoFor(target, results), Count(results), 0);

        var request = DisableRequest.From(trigger, settings);
        switch (request)
        {
            case DisableRequest.Refused refused:
                return Outcome.Rejected(Name, envelope.Id, refused.Reason, dryRun);
            case DisableRequest.NothingToDo nothing:
                return Finish(OutcomeStatus.AlreadyCompliant, nothing.Reason, []);
            case DisableRequest.TemporaryKey temporary:
                return Finish(OutcomeStatus.AlreadyCompliant,
                    $"{temporary.AccessKeyId} is a temporary (role session) key and cannot be deactivated: revoke the sessions of {temporary.PrincipalId ?? "its role"} instead",
                    [ResourceResult.NoChange(temporary.AccessKeyId, OutcomeStatus.AlreadyCompliant, $"temporary key named by {temporary.FindingType}; not acted on")]);
        }
        if (await _targets.ConnectAsync(target, envelope.Id, cancellationToken) is { } unreachable)
            return Finish(OutcomeStatus.Failed, unreachable.Reason, [unreachable]);
        var gateway = gatewayFor(target);

        var disabling = new KeyDisabling(settings, gateway, clock.GetUtcNow(), dryRun);
        IReadOnlyList<ResourceResult> results;
        switch (request)
        {
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
