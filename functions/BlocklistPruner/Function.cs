using System.Collections.Concurrent;
using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace BlocklistPruner;

/// <summary>
/// On a schedule, unblocks the addresses whose block expired: IP sets, then NACL entries (in their own accounts and regions,
/// through the member role), then records.
/// </summary>
/// <param name="targets">Which accounts and regions it may act in; null is its own only (in-process tests).</param>
public sealed class Function(BlocklistPrunerSettings settings, IPrunerGateway gateway, TimeProvider clock, TargetAccess? targets = null) : IRemediation
{
    private readonly TargetAccess _targets = targets ?? TargetAccess.OwnAccountOnly(Name);

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
        var targets = TargetAccess.FromEnvironment(Name, env, aws);
        var blocklist = BlocklistParts.Create(aws, env.Optional("AWS_REGION") ?? "us-east-1", settings.Blocklist);
        var elsewhere = new ConcurrentDictionary<Target, NaclDenyRules>();
        NaclDenyRules NaclsIn(Target? target) => target is null
            ? blocklist.Nacls
            : elsewhere.GetOrAdd(target, t => blocklist.In(t, targets.ClientsFor(t), settings.Blocklist).Nacls);
        var function = new Function(settings, new PrunerGateway(blocklist.Table, blocklist.Writer, NaclsIn), clock, targets);
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
        var scanned = PrunePolicy.Plan(await gateway.ScanAsync(cancellationToken), now);
        if (scanned.IsEmpty)
            return new Outcome(Name, envelope.Id, envelope.Account, envelope.Region, OutcomeStatus.AlreadyCompliant,
                "no blocked address has expired", dryRun, [], Pruning.Count(scanned, PruneReport.Nothing, [], dryRun), 0);

        var (plan, left) = await ReachableAclsAsync(scanned, trigger, context, cancellationToken);
        var report = await new Pruning(settings, gateway, now, dryRun).RunAsync(plan, cancellationToken);
        var results = Pruning.Results(plan, report, dryRun, _targets);
        results.AddRange(left);
        var counts = Pruning.Count(plan, report, results, dryRun);
        var status = Outcome.Summarize(results);
        return new Outcome(Name, envelope.Id, envelope.Account, envelope.Region, status,
            $"{plan.Expired.Count} expired address(es): {counts[dryRun ? "AddressesPlanned" : "AddressesUnblocked"]} {(dryRun ? "would be unblocked" : "unblocked")}, " +
            $"{counts["AddressesResighted"]} re-sighted; {counts["IpSetWrites"]} IP set write(s), {counts["NaclEntriesRemoved"]} NACL entr(ies) removed",
            dryRun, results, counts, 0);
    }

    /// <summary>
    /// The plan with only the ACLs it may and can change, and the results of the others: with AttackerNaclDeny off, or in an account
    /// or region no longer among the targets, a person deletes the entries; a member whose role cannot be assumed fails (its
    /// entries stay recorded, so a later run removes them). Address records go as planned either way.
    /// </summary>
    private async Task<(PrunePlan Plan, List<ResourceResult> Left)> ReachableAclsAsync(
        PrunePlan scanned, Trigger schedule, InvocationContext context, CancellationToken cancellationToken)
    {
        // Only ACLs elsewhere need the function's own account and region, as its ARN names them.
        var unadmitted = scanned.NaclCidrsByAcl.Keys.Any(a => a.Elsewhere is not null)
            ? (await _targets.AdmitAsync(schedule, context, TargetKind.Regional, cancellationToken)).Refusal
            : null;
        var scope = FunctionScope.Of(context) is { } own ? new TargetScope(own, _targets.Settings) : null;
        var reachable = new Dictionary<AclLocation, IReadOnlySet<string>>();
        var left = new List<ResourceResult>();
        var unreachable = new Dictionary<Target, ResourceResult>();
        foreach (var (acl, cidrs) in scanned.NaclCidrsByAcl.OrderBy(a => a.Key.RecordId, StringComparer.Ordinal))
        {
            var kept = !settings.NaclDeny ? "AttackerNaclDeny is off, so the pruner may not delete it"
                : acl.Elsewhere is not { } where ? null
                : unadmitted ?? scope!.AccountRefusal(where.Account, "its network ACL") ?? scope.RegionRefusal(where.Region, "its network ACL");
            if (kept is not null)
            {
                left.AddRange(cidrs.Select(cidr => ResourceResult.NoChange(cidr, OutcomeStatus.Exempt,
                    $"its deny entry stays in {acl}: {kept}; delete it by hand " +
                    $"(aws ec2 delete-network-acl-entry --network-acl-id {acl.NetworkAclId} --ingress --rule-number <the entry denying {cidr}>)")));
                continue;
            }
            if (acl.Elsewhere is { } target)
            {
                if (!unreachable.ContainsKey(target) && await _targets.ConnectAsync(target, schedule.Envelope.Id, cancellationToken) is { } failed)
                    unreachable[target] = failed;
                if (unreachable.ContainsKey(target))
                    continue;
            }
            reachable[acl] = cidrs;
        }
        left.AddRange(unreachable.Values.Select(failed => failed with { Reason = failed.Reason + "; its network ACL entries stay recorded, and a later run removes them" }));
        return (scanned with { NaclCidrsByAcl = reachable }, left);
    }
}
