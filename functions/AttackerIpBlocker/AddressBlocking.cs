using System.Collections.Concurrent;
using Remediators.Core.Blocklist;
using Remediators.Core.Targets;

namespace AttackerIpBlocker;

/// <summary>An attacked subnet, in the account and region of the finding that named it.</summary>
public sealed record SubnetIn(Target Target, string SubnetId);

/// <summary>Every finding of the batch that named one blockable address, merged: latest sighting, all finding ids, all subnets.</summary>
public sealed record BatchSighting(
    string Cidr, bool IsIpv6, DateTimeOffset SeenAt, DateTimeOffset ExpiresAt,
    IReadOnlyList<string> FindingIds, IReadOnlyList<string> FindingTypes, IReadOnlyList<SubnetIn> Subnets)
{
    /// <summary>The accounts and regions of the findings that named it.</summary>
    public IReadOnlyList<Target> Targets { get; init; } = [];
}

/// <summary>
/// What the Apply step did: the sightings, their records as they now stand (none in a dry run), each IP set's write, each
/// ACL's changes (those made before a failure among them), and the first failed step of each address.
/// </summary>
public sealed record BlockingReport(
    IReadOnlyList<BatchSighting> Sightings, IReadOnlyList<IpSetWriteResult> Writes, IReadOnlyList<NaclChangeResult> Nacls,
    IReadOnlyDictionary<string, BlockedAddress> Records)
{
    public static readonly BlockingReport Nothing = new([], [], [], new Dictionary<string, BlockedAddress>());

    public IReadOnlyDictionary<string, StepFailure> Failures { get; init; } = new Dictionary<string, StepFailure>();

    /// <summary>Whether <paramref name="cidr"/> was in <paramref name="setArn"/> before this suite ever added it there (someone else's entry).</summary>
    public bool IsSomeoneElses(string setArn, string cidr) =>
        Records.TryGetValue(cidr, out var record) && !record.WasAddedTo(setArn);
}

/// <summary>
/// Applies a batch's decisions: records every sighting first (so no address is ever blocked without a record to expire it),
/// then one read-modify-write per IP set for the whole batch (the blocklist is the function's own), then NACL denies when
/// configured, each in the attacked subnet's own account and region. A dry run only reads. A step that fails fails only the
/// addresses it was for: the other sets and ACLs are still written, what was done stays in the report, and an address whose
/// sighting could not be recorded is blocked nowhere.
/// </summary>
/// <param name="gatewayFor">The blocklist's verbs with EC2 in one target; <paramref name="home"/>'s holds the blocklist.</param>
internal sealed class AddressBlocking(AttackerIpBlockerSettings settings, Target home, Func<Target, IBlocklistGateway> gatewayFor, bool dryRun)
{
    private readonly IBlocklistGateway _blocklist = gatewayFor(home);

    private const int ParallelRecordWrites = 8;
    private static readonly IReadOnlyDictionary<string, DateTimeOffset> NoExpiries = new Dictionary<string, DateTimeOffset>();
    private IReadOnlyList<BlockedAddress>? _records;

    public async Task<BlockingReport> RunAsync(IReadOnlyList<FindingDecision> decisions, CancellationToken cancellationToken)
    {
        var sightings = Merge(decisions, settings.Retention);
        var records = new ConcurrentDictionary<string, BlockedAddress>(StringComparer.Ordinal);
        var failures = new StepFailures();
        if (!dryRun)
        {
            await Parallel.ForEachAsync(sightings, new ParallelOptions { MaxDegreeOfParallelism = ParallelRecordWrites, CancellationToken = cancellationToken }, async (s, token) =>
            {
                try
                {
                    records[s.Cidr] = await _blocklist.RecordSightingAsync(new Sighting(s.Cidr, s.SeenAt, s.ExpiresAt, s.FindingIds), token);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    failures.Fail([s.Cidr], "recording its sighting", error);
                }
            });
        }
        var recorded = sightings.Where(s => !failures.HasFailed(s.Cidr)).ToList();

        var writes = new List<IpSetWriteResult>();
        foreach (var set in settings.Blocklist.IpSets)
        {
            var additions = recorded.Where(s => s.IsIpv6 == set.IsIpv6).Select(s => new IpSetAddition(s.Cidr, s.ExpiresAt)).ToList();
            if (additions.Count == 0)
                continue;
            await failures.RunAsync(additions.Select(a => a.Cidr), $"adding it to {set.Arn}", async () =>
            {
                var write = await _blocklist.WriteIpSetAsync(set, (current, token) => EditAsync(set, current, additions, token), dryRun, cancellationToken);
                writes.Add(write);
                if (write is { Written: true, Edit.Evicted.Count: > 0 })
                    await failures.RunAsync(write.Edit.Evicted, $"recording its eviction from {set.Arn}",
                        () => _blocklist.ForgetAdditionsAsync(set.Arn, [.. write.Edit.Evicted.Select(IpSetPlanner.Canonical)], cancellationToken));
            });
        }

        var nacls = settings.NaclDeny ? await DenyInAclsAsync(recorded, failures, cancellationToken) : [];
        return new BlockingReport(sightings, writes, nacls, records) { Failures = failures.ByCidr };
    }

    /// <summary>Expiry by canonical CIDR of the addresses this suite added to the set: only those may be evicted from it.</summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> OurExpiriesIn(IpSetTarget set, IEnumerable<BlockedAddress> records) =>
        records.Where(r => r.WasAddedTo(set.Arn)).ToDictionary(r => IpSetPlanner.Canonical(r.Cidr), r => r.ExpiresAt, StringComparer.Ordinal);

    /// <summary>One sighting per address, at its latest time in the batch; the block lasts the retention from there.</summary>
    public static IReadOnlyList<BatchSighting> Merge(IReadOnlyList<FindingDecision> decisions, TimeSpan retention) =>
        [.. decisions
            .SelectMany(d => d.Addresses.Where(a => a.Block is not null).Select(a => (Decision: d, Address: a.Block!)))
            .GroupBy(x => x.Address.Cidr, StringComparer.Ordinal)
            .Select(g =>
            {
                var seenAt = g.Max(x => x.Decision.SeenAt);
                return new BatchSighting(g.Key, g.First().Address.IsIpv6, seenAt, seenAt + retention,
                    [.. g.Select(x => x.Decision.FindingId).Distinct().Order(StringComparer.Ordinal)],
                    [.. g.Select(x => x.Decision.FindingType).Distinct().Order(StringComparer.Ordinal)],
                    [.. g.SelectMany(x => x.Decision.SubnetIds.Select(subnet => new SubnetIn(x.Decision.Target!, subnet))).Distinct()
                        .OrderBy(s => s.Target.Account, StringComparer.Ordinal).ThenBy(s => s.Target.Region, StringComparer.Ordinal).ThenBy(s => s.SubnetId, StringComparer.Ordinal)])
                {
                    Targets = [.. g.Select(x => x.Decision.Target!).Distinct().OrderBy(t => t.Account, StringComparer.Ordinal).ThenBy(t => t.Region, StringComparer.Ordinal)],
                };
            })
            .OrderBy(s => s.Cidr, StringComparer.Ordinal)];

    /// <summary>The set's new list; the table is scanned for expiries only when the set would pass its capacity.</summary>
    private async Task<IpSetEdit> EditAsync(IpSetTarget set, IReadOnlyList<string> current, IReadOnlyList<IpSetAddition> additions, CancellationToken cancellationToken)
    {
        var edit = IpSetPlanner.Add(current, additions, _records is null ? NoExpiries : OurExpiriesIn(set, _records));
        if (edit.RefusedFull.Count == 0 || _records is not null)
            return edit;
        _records = await _blocklist.RecordsAsync(cancellationToken);
        return IpSetPlanner.Add(current, additions, OurExpiriesIn(set, _records));
    }

    private async Task<IReadOnlyList<NaclChangeResult>> DenyInAclsAsync(
        IReadOnlyList<BatchSighting> sightings, StepFailures failures, CancellationToken cancellationToken)
    {
        var results = new List<NaclChangeResult>();
        // Subnets are ordered by account and region (see Merge), so the targets are visited in that order.
        foreach (var inTarget in sightings.SelectMany(s => s.Subnets.Select(subnet => (Subnet: subnet, s.Cidr))).GroupBy(x => x.Subnet.Target))
        {
            var target = inTarget.Key;
            var where = target == home ? "" : $" in account {target.Account}, region {target.Region}";
            var network = gatewayFor(target);
            IReadOnlyDictionary<string, string> acls = new Dictionary<string, string>();
            await failures.RunAsync(inTarget.Select(x => x.Cidr), $"finding the network ACLs of its subnets{where}",
                async () => acls = await network.FindAclsAsync([.. inTarget.Select(x => x.Subnet.SubnetId).Distinct()], cancellationToken));
            foreach (var acl in inTarget.Where(x => acls.ContainsKey(x.Subnet.SubnetId)).GroupBy(x => acls[x.Subnet.SubnetId]).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var cidrs = acl.Select(x => x.Cidr).Distinct(StringComparer.Ordinal).ToList();
                try
                {
                    results.Add(await network.DenyInAclAsync(acl.Key, cidrs, dryRun, cancellationToken));
                }
                catch (NaclChangeFailedException error)
                {
                    results.Add(error.Done);
                    failures.Fail(cidrs.Where(c => !error.Done.Steps.Any(step => step.Cidr == c)), $"denying it in {acl.Key}{where}", error.InnerException!);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    failures.Fail(cidrs, $"denying it in {acl.Key}{where}", error);
                }
            }
        }
        return results;
    }
}
