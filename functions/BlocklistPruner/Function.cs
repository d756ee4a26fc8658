using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace BlocklistPruner;

/// <summary>On a schedule, unblocks the addresses whose block expired: IP sets, then NACL entries, then records.</summary>
public sealed class Function(BlocklistPrunerSettings settings, IPrunerGateway gateway, TimeProvider clock) : IRemediation
{
    public const string Name = "BlocklistPruner";

    /// <summary>Assuming member roles and asking Organizations who is a member, granted only while targets beyond this account are on.</summary>
    public static readonly FeatureActions[] TargetIamActions = TargetAccess.FeatureIamActions;

    public string FunctionName => Name;

    public bool DryRun => settings.Mode == RemediationMode.DryRun;

    public static Task<int> Main() => LambdaHost.RunAsync(() =>
    {
        var env = EnvironmentSettings.FromProcess();
        var settings = BlocklistPrunerSettings.FromEnvironment(env);
        var clock = TestClock.FromEnvironment(env, BlocklistParts.ServiceEnvironmentIds);
        var aws = AwsClients.FromEnvironment();
        var blocklist = BlocklistParts.Create(aws, env.Optional("AWS_REGION") ?? "us-east-1", settings.Blocklist);
        var function = new Function(settings, new PrunerGateway(blocklist.Table, blocklist.Writer, blocklist.Nacls), clock);
        return RemediationHandler.ForLambda(function, env, aws);
    });

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var dryRun = DryRun;
        var parsed = EventParser.Parse(payload.Span);
        if (parsed.Trigger is not { Envelope: var envelope } trigger)
            return Outcome.Rejected(Name, context.RequestId, parsed.Rejection!, dryRun);
        if (trigger is not ScheduledSweep)
            return Outcome.Rejected(Name, envelope.Id, $"{envelope.DetailType} events are not handled by this function; it runs on its schedule", dryRun);

        var now = clock.GetUtcNow();
        var plan = PrunePolicy.Plan(await gateway.ScanAsync(cancellationToken), now);
        if (plan.IsEmpty)
            return new Outcome(Name, envelope.Id, envelope.Account, envelope.Region, OutcomeStatus.AlreadyCompliant,
                "no blocked address has expired", dryRun, [], Pruning.Count(plan, PruneReport.Nothing, [], dryRun), 0);

        var report = await new Pruning(settings, gateway, now, dryRun).RunAsync(plan, cancellationToken);
        var results = Pruning.Results(plan, report, dryRun, settings.NaclDeny);
        var counts = Pruning.Count(plan, report, results, dryRun);
        var status = Outcome.Summarize(results);
        return new Outcome(Name, envelope.Id, envelope.Account, envelope.Region, status,
            $"{plan.Expired.Count} expired address(es): {counts[dryRun ? "AddressesPlanned" : "AddressesUnblocked"]} {(dryRun ? "would be unblocked" : "unblocked")}, " +
            $"{counts["AddressesResighted"]} re-sighted; {counts["IpSetWrites"]} IP set write(s), {counts["NaclEntriesRemoved"]} NACL entr(ies) removed",
            dryRun, results, counts, 0);
    }
}
