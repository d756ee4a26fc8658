using Amazon.EC2;
using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Sweeps;
using Remediators.Core.Targets;

namespace PublicIngressRevoker;

/// <summary>Revokes ingress open to the world, except the allowed public ports of groups that front an ALB.</summary>
/// <param name="gatewayFor">The EC2 and ELBv2 verbs in one target account and region (called after <see cref="TargetAccess.ConnectAsync"/>).</param>
/// <param name="subnetGatewayFor">The EC2 subnet verbs in one target account and region, for subnets that auto-assign public addresses.</param>
/// <param name="targets">Which accounts and regions it may act in; null is its own only (in-process tests).</param>
public sealed class Function(
    PublicIngressRevokerSettings settings, Func<Target, ISecurityGroupGateway> gatewayFor, Func<Target, ISubnetPublicIpGateway> subnetGatewayFor,
    TargetAccess? targets = null) : IRemediation
{
    private readonly TargetAccess _targets = targets ?? TargetAccess.OwnAccountOnly(Name);

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
        var targets = TargetAccess.FromEnvironment(Name, env, aws);
        AmazonEC2Client Ec2(Target target) =>
            targets.ClientsFor(target).Sdk<AmazonEC2Client, AmazonEC2Config>(target.Region, (credentials, config) => new AmazonEC2Client(credentials, config));
        var function = new Function(settings,
            target => new SecurityGroupGateway(Ec2(target), targets.ClientsFor(target).Elbv2(target.Region)),
            target => new SubnetPublicIpGateway(Ec2(target)), targets);
        return RemediationHandler.ForLambda(SweepFanOut.Around(function, env, aws, TargetKind.Regional), env, aws);
    });

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var dryRun = DryRun;
        var parsed = EventParser.Parse(payload.Span);
        if (parsed.Trigger is not { Envelope: var envelope } trigger)
            return Outcome.Rejected(Name, context.RequestId, parsed.Rejection!, dryRun);

        // Before any call: a forged or misrouted event naming an account or region it may not act in goes no further.
        var admitted = await _targets.AdmitAsync(trigger, context, TargetKind.Regional, cancellationToken);
        if (admitted.Target is not { } target)
            return Outcome.Rejected(Name, envelope.Id, admitted.Refusal!, dryRun);

        Outcome Finish(OutcomeStatus status, string reason, IReadOnlyList<ResourceResult> results, int rulesForReview = 0) =>
            new(Name, envelope.Id, target.Account, target.Region, status, reason, dryRun, _targets.WithUndoFor(target, results), Count(results, rulesForReview), 0);

        switch (SubnetPublicIpRequest.From(trigger, settings))
        {
            case SubnetPublicIpRequest.Refused refused:
                return Outcome.Rejected(Name, envelope.Id, refused.Reason, dryRun);
            case SubnetPublicIpRequest.NothingToDo nothing:
                return Finish(OutcomeStatus.AlreadyCompliant, nothing.Reason, []);
            case SubnetPublicIpRequest.Subnet subnet:
                if (await _targets.ConnectAsync(target, envelope.Id, cancellationToken) is { } unreachableSubnets)
                    return Finish(OutcomeStatus.Failed, unreachableSubnets.Reason, [unreachableSubnets]);
                var result = await new SubnetPublicIpRemediation(settings.Subnets, subnetGatewayFor(target), dryRun).RunAsync(subnet.SubnetId, cancellationToken);
                return new(Name, envelope.Id, target.Account, target.Region, result.Status, result.Reason, dryRun,
                    _targets.WithUndoFor(target, [result]), SubnetPublicIpRemediation.Count(result), 0);
        }

        var request = RevocationRequest.From(trigger, settings);
        switch (request)
        {
            case RevocationRequest.Refused refused:
                return Outcome.Rejected(Name, envelope.Id, refused.Reason, dryRun);
            case RevocationRequest.NothingToDo nothing:
                return Finish(OutcomeStatus.AlreadyCompliant, nothing.Reason, []);
        }
        if (await _targets.ConnectAsync(target, envelope.Id, cancellationToken) is { } unreachable)
            return Finish(OutcomeStatus.Failed, unreachable.Reason, [unreachable]);
        var gateway = gatewayFor(target);

        IReadOnlyList<string>? groupIds = null;
        if (request is RevocationRequest.Groups groups)
            groupIds = groups.GroupIds;
        else if (request is RevocationRequest.GroupNamed named)
        {
            groupIds = await gateway.FindGroupIdsByNameAsync(named.GroupName, cancellationToken);
            if (groupIds.Count == 0)
                return Finish(OutcomeStatus.AlreadyCompliant, $"the default VPC has no security group named {named.GroupName}", []);
        }

        var remediation = new GroupRemediation(settings, gateway, dryRun);
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
