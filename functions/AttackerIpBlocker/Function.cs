using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace AttackerIpBlocker;

/// <summary>Blocks the attackers GuardDuty reports in WAF IP sets (and optionally subnet NACLs), for a retention after their last sighting.</summary>
public sealed class Function(AttackerIpBlockerSettings settings, IBlocklistGateway gateway, TimeProvider clock) : IRemediation
{
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
        var blocklist = BlocklistParts.Create(aws, env.Optional("AWS_REGION") ?? "us-east-1", settings.Blocklist);
        return RemediationHandler.ForLambda(new Function(settings, BlocklistGateway.From(blocklist), clock), env, aws);
    });

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var dryRun = DryRun;
        var request = BlockRequest.From(payload.Span, context.RequestId);
        if (!request.IsBatch && request.Findings.Count == 0)
            return Outcome.Rejected(Name, context.RequestId, request.Rejected[0].Reason, dryRun);

        var now = clock.GetUtcNow();
        var scope = FunctionScope.Of(context);
        var decisions = Decide(request, new DecisionContext(now, scope, OwnAddresses.None));
        // The account's own addresses are read only when something may be blocked, and then decide again.
        if (decisions.Any(d => d.Addresses.Any(a => a.Block is not null)))
            decisions = Decide(request, new DecisionContext(now, scope, await gateway.OwnPublicAddressesAsync(cancellationToken)));
        var report = await new AddressBlocking(settings, gateway, dryRun).RunAsync(decisions, cancellationToken);
        var results = BlockingResults.Build(report, decisions, request.Rejected, dryRun);
        var counts = BlockingResults.Count(report, results, dryRun);
        var status = Outcome.Summarize(results);
        var first = request.Findings.Count > 0 ? request.Findings[0].Envelope : null;
        return new Outcome(Name, request.IsBatch ? context.RequestId : first!.Id, first?.Account, first?.Region, status,
            Summary(counts, dryRun), dryRun, results, counts, 0);
    }

    private List<FindingDecision> Decide(BlockRequest request, DecisionContext context) =>
        [.. request.Findings.Select(f => AttackerIpPolicy.Decide(f, context, settings))];

    private static string Summary(Dictionary<string, long> counts, bool dryRun) =>
        $"{counts[dryRun ? "AddressesPlanned" : "AddressesAdded"]} address(es) {(dryRun ? "would be added" : "added")}, " +
        $"{counts["AddressesAlreadyPresent"]} already present, {counts["AddressesRefused"]} refused, {counts["AddressesEvicted"]} evicted; " +
        $"{counts["IpSetWrites"]} IP set write(s), {counts["NaclEntriesAdded"]} NACL entr(ies) added" +
        (counts["MessagesRejected"] > 0 ? $"; {counts["MessagesRejected"]} message(s) rejected" : "");
}
