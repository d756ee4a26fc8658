using System.Collections.Concurrent;
using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace AttackerIpBlocker;

/// <summary>
/// Blocks the attackers GuardDuty reports in WAF IP sets (and optionally subnet NACLs), for a retention after their last
/// sighting. The IP sets and their table are the function's own, one blocklist for every target; a finding's own addresses
/// and its subnets' ACLs are those of the finding's account and region, reached through that account's member role.
/// </summary>
/// <param name="gatewayFor">The blocklist's verbs with EC2 in one target (called after <see cref="TargetAccess.ConnectAsync"/>).</param>
/// <param name="targets">Which accounts and regions it may act in; null is its own only (in-process tests).</param>
public sealed class Function(AttackerIpBlockerSettings settings, Func<Target, IBlocklistGateway> gatewayFor, TimeProvider clock, TargetAccess? targets = null)
    : IRemediation
{
    private readonly TargetAccess _targets = targets ?? TargetAccess.OwnAccountOnly(Name);

    public const string Name = "AttackerIpBlocker";

    /// <summary>Assuming member roles and asking Organizations who is a member, granted only while targets beyond this account are on.</summary>
    public static readonly FeatureActions[] TargetIamActions = TargetAccess.FeatureIamActions;

    public string FunctionName => Name;

    public bool DryRun => settings.Mode == RemediationMode.DryRun;

    public static Task<int> Main() => LambdaHost.RunAsync(() =>
    {
        var env = EnvironmentSettings.FromProcess();
        var settings = AttackerIpBlockerSettings.FromEnvironment(env);
        var clock = TestClock.FromEnvironment(env, BlocklistParts.ServiceEnvironmentIds);
        var aws = AwsClients.FromEnvironment();
        var targets = TargetAccess.FromEnvironment(Name, env, aws);
        var blocklist = BlocklistParts.Create(aws, env.Optional("AWS_REGION") ?? "us-east-1", settings.Blocklist);
        var home = BlocklistGateway.From(blocklist);
        // One gateway per target for the container's life, so each keeps its own-address cache.
        var elsewhere = new ConcurrentDictionary<Target, BlocklistGateway>();
        IBlocklistGateway GatewayFor(Target target) => target == targets.Home
            ? home
            : elsewhere.GetOrAdd(target, t => BlocklistGateway.From(blocklist.In(t, targets.ClientsFor(t), settings.Blocklist)));
        return RemediationHandler.ForLambda(new Function(settings, GatewayFor, clock, targets), env, aws);
    });

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var dryRun = DryRun;
        var request = BlockRequest.From(payload.Span, context.RequestId);
        if (!request.IsBatch && request.Findings.Count == 0)
            return Outcome.Rejected(Name, context.RequestId, request.Rejected[0].Reason, dryRun);

        var now = clock.GetUtcNow();
        // Before any call but, in organization mode, DescribeAccount: a finding naming an account or region it may not act in blocks nothing.
        var admitted = new List<TargetResolution>();
        foreach (var received in request.Findings)
            admitted.Add(await _targets.AdmitAsync(new GuardDutyFindingEvent(received.Envelope, received.Finding), context, TargetKind.Regional, cancellationToken));
        var decisions = Decide(request, admitted, now, new Dictionary<Target, OwnAddresses>());
        var blocking = decisions.Where(d => d.Addresses.Any(a => a.Block is not null)).ToList();
        if (blocking.Count == 0)
            return Finish(request, decisions, BlockingReport.Nothing, [], context, dryRun);

        // Each target's own addresses are read only when something of it may be blocked, and then decide again.
        var own = new Dictionary<Target, OwnAddresses>();
        var unreachable = new List<ResourceResult>();
        foreach (var target in blocking.Select(d => d.Target!).Distinct())
        {
            var eventId = request.Findings[admitted.FindIndex(a => a.Target == target)].Envelope.Id;
            var (addresses, failure) = await OwnAddressesOfAsync(target, [.. blocking.Where(d => d.Target == target).Select(d => d.FindingId)], eventId, cancellationToken);
            if (addresses is not null)
                own[target] = addresses;
            else
                unreachable.Add(failure!);
        }
        // Without its own addresses a target's findings block nothing: its Failed result says why, and Lambda retries the batch.
        decisions = [.. Decide(request, admitted, now, own).Where(d => d.Target is null || own.ContainsKey(d.Target))];
        var report = await new AddressBlocking(settings, _targets.Home, gatewayFor, dryRun).RunAsync(decisions, cancellationToken);
        return Finish(request, decisions, report, unreachable, context, dryRun);
    }

    private Outcome Finish(
        BlockRequest request, IReadOnlyList<FindingDecision> decisions, BlockingReport report, IReadOnlyList<ResourceResult> unreachable,
        InvocationContext context, bool dryRun)
    {
        var results = BlockingResults.Build(report, decisions, request.Rejected, dryRun, _targets);
        results.AddRange(unreachable);
        var counts = BlockingResults.Count(report, results, dryRun);
        var first = request.Findings.Count > 0 ? request.Findings[0].Envelope : null;
        return new Outcome(Name, request.IsBatch ? context.RequestId : first!.Id, first?.Account, first?.Region, Outcome.Summarize(results),
            Summary(counts, dryRun), dryRun, results, counts, 0);
    }

    /// <summary>The target's own public addresses, or its Failed result when its role or the read fails (naming the findings left alone).</summary>
    private async Task<(OwnAddresses? Addresses, ResourceResult? Failure)> OwnAddressesOfAsync(
        Target target, IReadOnlyList<string> findingIds, string eventId, CancellationToken cancellationToken)
    {
        var leftAlone = $"; nothing of finding(s) {string.Join(", ", findingIds)} was blocked";
        if (await _targets.ConnectAsync(target, eventId, cancellationToken) is { } unreached)
            return (null, unreached with { Reason = unreached.Reason + leftAlone });
        try
        {
            return (await gatewayFor(target).OwnPublicAddressesAsync(cancellationToken), null);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var failed = ResourceResult.Failed($"{target.Account}/{target.Region}", $"reading the own public addresses of account {target.Account}, region {target.Region}", error, []);
            return (null, failed with { Reason = failed.Reason + leftAlone });
        }
    }

    private List<FindingDecision> Decide(BlockRequest request, List<TargetResolution> admitted, DateTimeOffset now, IReadOnlyDictionary<Target, OwnAddresses> own) =>
        [.. request.Findings.Select((f, i) => AttackerIpPolicy.Decide(f,
            new DecisionContext(now, admitted[i], admitted[i].Target is { } target ? own.GetValueOrDefault(target, OwnAddresses.None) : OwnAddresses.None), settings))];

    private static string Summary(Dictionary<string, long> counts, bool dryRun) =>
        $"{counts[dryRun ? "AddressesPlanned" : "AddressesAdded"]} address(es) {(dryRun ? "would be added" : "added")}, " +
        $"{counts["AddressesAlreadyPresent"]} already present, {counts["AddressesRefused"]} refused, {counts["AddressesEvicted"]} evicted; " +
        $"{counts["IpSetWrites"]} IP set write(s), {counts["NaclEntriesAdded"]} NACL entr(ies) added" +
        (counts["MessagesRejected"] > 0 ? $"; {counts["MessagesRejected"]} message(s) rejected" : "");
}
