using System.Collections.Concurrent;
using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace BlocklistPruner;

/// <summary>
/// Unblocks expired addresses in the order that never leaves an address blocked without a record: first the IP sets (a set may
/// become empty), then the NACL entries, then the records. Each step re-reads the records, so an address re-sighted meanwhile
/// stays blocked, and the records of what a write removed are read once more after it, so an address re-sighted while the
/// write was on its way is put back. A dry run only reads.
/// </summary>
internal sealed class Pruning(BlocklistPrunerSettings settings, IPrunerGateway gateway, DateTimeOffset now, bool dryRun)
{
    public const string RemoveAction = "RemoveFromIpSet";
    public const string RestoreAction = "RestoreToIpSet";
    public const string DeleteEntryAction = "DeleteNaclDenyEntry";
    public const string DeleteRecordAction = "DeleteBlocklistRecord";
    private const int ParallelDeletes = 8;
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _keptInSets = new(StringComparer.Ordinal);

    public async Task<PruneReport> RunAsync(PrunePlan plan, CancellationToken cancellationToken)
    {
        var expired = plan.Expired.Select(a => IpSetPlanner.Canonical(a.Cidr)).ToList();
        var failures = new StepFailures();
        var writes = new List<IpSetWriteResult>();
        foreach (var set in expired.Count > 0 ? settings.Blocklist.IpSets : [])
        {
            var ofFamily = expired.Where(c => c.Contains(':', StringComparison.Ordinal) == set.IsIpv6).ToList();
            await failures.RunAsync(ofFamily, $"removing it from {set.Arn}", async () =>
            {
                var removal = await gateway.WriteIpSetAsync(set, (current, token) => RemovalAsync(set, current, expired, token), dryRun, cancellationToken);
                writes.Add(removal);
                if (removal.Written)
                    await failures.RunAsync(removal.Edit.Removed.Select(IpSetPlanner.Canonical), $"putting it back into {set.Arn} after a new sighting", async () =>
                    {
                        if (await RestorationAsync(removal, cancellationToken) is { } restoration)
                            writes.Add(restoration);
                    });
            });
        }

        var nacls = new List<NaclChangeResult>();
        foreach (var (acl, cidrs) in plan.NaclCidrsByAcl.OrderBy(a => a.Key.RecordId, StringComparer.Ordinal))
        {
            await failures.RunAsync(cidrs, $"removing its deny entry from {acl}", async () =>
            {
                var still = PrunePolicy.StillExpired(cidrs, await gateway.GetAddressesAsync([.. cidrs], cancellationToken), now);
                try
                {
                    if (still.Count > 0)
                        nacls.Add(await gateway.RemoveFromAclAsync(acl, still, dryRun, cancellationToken));
                }
                catch (NaclChangeFailedException error)
                {
                    nacls.Add(error.Done);
                    failures.Fail(still.Where(c => !error.Done.Steps.Any(step => step.Cidr == c)), $"removing its deny entry from {acl}", error.InnerException!);
                }
            });
        }

        // A record goes only once every step for its address succeeded: otherwise nothing would ever take the address out.
        var deletable = expired.Where(c => !failures.HasFailed(c)).ToList();
        var deleted = new ConcurrentBag<string>(dryRun ? deletable : []);
        if (!dryRun)
        {
            await Parallel.ForEachAsync(deletable, new ParallelOptions { MaxDegreeOfParallelism = ParallelDeletes, CancellationToken = cancellationToken }, async (cidr, token) =>
                await failures.RunAsync([cidr], "deleting its record", async () =>
                {
                    if (await gateway.DeleteIfExpiredAsync(cidr, now, token))
                        deleted.Add(cidr);
                }));
        }
        return new PruneReport(writes, nacls, [.. deleted.Order(StringComparer.Ordinal)], _keptInSets.ToDictionary(StringComparer.Ordinal))
        {
            Failures = failures.ByCidr,
        };
    }

    /// <summary>
    /// Puts back what <paramref name="removal"/> took out but a sighting extended after the removal's read: the blocker records
    /// a sighting before it reads the set, so if it read the set before the removal landed, it found the address there and
    /// wrote nothing. Null when nothing was re-sighted (one consistent read of the removed addresses' records).
    /// </summary>
    private async Task<IpSetWriteResult?> RestorationAsync(IpSetWriteResult removal, CancellationToken cancellationToken)
    {
        var removed = removal.Edit.Removed.Select(IpSetPlanner.Canonical).ToList();
        var fresh = await gateway.GetAddressesAsync(removed, cancellationToken);
        var resighted = removed.Except(PrunePolicy.StillExpired(removed, fresh, now), StringComparer.Ordinal)
            .Select(cidr => new IpSetAddition(cidr, fresh[cidr].ExpiresAt)).ToList();
        if (resighted.Count == 0)
            return null;
        return await gateway.WriteIpSetAsync(removal.Set,
            (current, _) => Task.FromResult(IpSetPlanner.Add(current, resighted, new Dictionary<string, DateTimeOffset>())), dryRun: false, cancellationToken);
    }

    /// <summary>Removes from the set what it holds of ours that is still expired on a fresh read; notes what it holds of someone else's.</summary>
    private async Task<IpSetEdit> RemovalAsync(IpSetTarget set, IReadOnlyList<string> current, IReadOnlyList<string> expired, CancellationToken cancellationToken)
    {
        var held = current.Select(IpSetPlanner.Canonical).Intersect(expired, StringComparer.Ordinal).ToList();
        if (held.Count == 0)
            return IpSetPlanner.Remove(current, new HashSet<string>());
        var fresh = await gateway.GetAddressesAsync(held, cancellationToken);
        var removable = PrunePolicy.Removable(held, fresh, set.Arn, now);
        _keptInSets[set.Arn] = [.. held.Where(c => fresh.TryGetValue(c, out var record) && !record.WasAddedTo(set.Arn))];
        return IpSetPlanner.Remove(current, removable);
    }

    /// <param name="targets">How the undo of a change in another account or region is run; null when every ACL is the function's own.</param>
    public static List<ResourceResult> Results(PrunePlan plan, PruneReport report, bool dryRun, TargetAccess? targets = null)
    {
        var results = new List<ResourceResult>();
        foreach (var address in plan.Expired)
        {
            var cidr = IpSetPlanner.Canonical(address.Cidr);
            var changes = new List<Change>();
            changes.AddRange(report.Writes.Where(w => w.Edit.Removed.Any(r => IpSetPlanner.Canonical(r) == cidr))
                .Select(w => new Change(RemoveAction, w.Set.Arn, "block expired", BlocklistChangeDetails.IpSet(w.Set.Arn, cidr, "present"),
                    BlocklistChangeDetails.AddBackToIpSet(w.Set.Arn, cidr))));
            changes.AddRange(report.Writes.Where(w => w.Edit.Added.Any(a => IpSetPlanner.Canonical(a) == cidr))
                .Select(w => new Change(RestoreAction, w.Set.Arn, "re-sighted while it was being unblocked", BlocklistChangeDetails.IpSet(w.Set.Arn, cidr, "absent"),
                    BlocklistChangeDetails.RemoveFromIpSet(w.Set.Arn, cidr) + "; a new finding named it, and the pruner removes it by itself when that block expires.")));
            changes.AddRange(NaclChanges(report, cidr, targets));
            var deleted = report.DeletedRecords.Contains(cidr);
            if (deleted)
                changes.Add(new Change(DeleteRecordAction, cidr, "block expired", new Dictionary<string, string>
                {
                    ["address"] = cidr, ["firstSeen"] = Iso.Format(address.FirstSeen), ["lastSeen"] = Iso.Format(address.LastSeen),
                    ["expiresAt"] = Iso.Format(address.ExpiresAt), ["findingIds"] = string.Join(",", address.FindingIds),
                }, $"Nothing to restore: it was the blocklist record of {cidr} (first seen {Iso.Format(address.FirstSeen)}, last seen {Iso.Format(address.LastSeen)}, " +
                    $"expired {Iso.Format(address.ExpiresAt)}, findings {string.Join(", ", address.FindingIds)}), and a new finding naming the address records it again."));
            var kept = report.KeptInSets.Where(k => k.Value.Contains(cidr)).Select(k => $"; left in {k.Key}: this suite did not put it there");
            var reason = (deleted
                ? $"{(dryRun ? "dry run, would unblock" : "unblocked")}: expired at {Iso.Format(address.ExpiresAt)} (last seen {Iso.Format(address.LastSeen)})"
                : $"kept: re-sighted since the scan, so its block was extended") + string.Concat(kept);
            results.Add(report.Failures.TryGetValue(cidr, out var failure)
                ? ResourceResult.Failed(cidr, failure.Doing, failure.Error, changes)
                : new ResourceResult(cidr, deleted ? (dryRun ? OutcomeStatus.DryRun : OutcomeStatus.Remediated) : OutcomeStatus.AlreadyCompliant, reason, changes));
        }

        // NACL entries whose address has no record left: ours, but expired long ago.
        var expiredCidrs = plan.Expired.Select(a => IpSetPlanner.Canonical(a.Cidr)).ToHashSet(StringComparer.Ordinal);
        var orphans = report.Nacls.SelectMany(n => n.Steps).OfType<NaclStep.Delete>().Select(d => d.Cidr).Concat(report.Failures.Keys)
            .Where(c => !expiredCidrs.Contains(c)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var orphan in orphans)
            results.Add(report.Failures.TryGetValue(orphan, out var failure)
                ? ResourceResult.Failed(orphan, failure.Doing, failure.Error, NaclChanges(report, orphan, targets))
                : new ResourceResult(orphan, dryRun ? OutcomeStatus.DryRun : OutcomeStatus.Remediated, "NACL deny entry whose address has no record left", NaclChanges(report, orphan, targets)));
        return results;
    }

    public static Dictionary<string, long> Count(PrunePlan plan, PruneReport report, IReadOnlyList<ResourceResult> results, bool dryRun) => new()
    {
        ["AddressesExpired"] = plan.Expired.Count,
        ["AddressesUnblocked"] = dryRun ? 0 : results.Count(r => r.Status == OutcomeStatus.Remediated),
        ["AddressesPlanned"] = dryRun ? results.Count(r => r.Status == OutcomeStatus.DryRun) : 0,
        ["AddressesResighted"] = results.Count(r => r.Status == OutcomeStatus.AlreadyCompliant),
        ["IpSetWrites"] = report.Writes.Count(w => w.Written),
        ["IpSetWriteRetries"] = report.Writes.Sum(w => w.Attempts - 1),
        ["NaclEntriesRemoved"] = dryRun ? 0 : report.Nacls.Sum(n => n.Steps.Count),
        ["RecordsDeleted"] = dryRun ? 0 : report.DeletedRecords.Count,
    };

    private static List<Change> NaclChanges(PruneReport report, string cidr, TargetAccess? targets) =>
        [.. report.Nacls.SelectMany(n => n.Steps.OfType<NaclStep.Delete>().Where(d => d.Cidr == cidr).Select(d =>
        {
            var undo = $"Create the deny entry again: aws ec2 create-network-acl-entry --network-acl-id {n.NetworkAclId} --rule-number {d.Rule.RuleNumber} --ingress " +
                BlocklistChangeDetails.DenyEntryOptions(d.Rule.Cidr);
            return new Change(DeleteEntryAction, n.NetworkAclId, "block expired", BlocklistChangeDetails.NaclEntry(n.Acl, d.Rule.RuleNumber, $"deny {d.Rule.Cidr}"),
                n.Elsewhere is { } target && targets is not null ? targets.UndoIn(target, undo) : undo);
        }))];
}

/// <summary>What the prune did: each IP set's write, each ACL's deletions, the records deleted, and per set the expired addresses it kept as someone else's.</summary>
public sealed record PruneReport(
    IReadOnlyList<IpSetWriteResult> Writes, IReadOnlyList<NaclChangeResult> Nacls, IReadOnlyList<string> DeletedRecords,
    IReadOnlyDictionary<string, IReadOnlyList<string>> KeptInSets)
{
    public static readonly PruneReport Nothing = new([], [], [], new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>The first failed step of each address; its record is kept, so the next run tries again.</summary>
    public IReadOnlyDictionary<string, StepFailure> Failures { get; init; } = new Dictionary<string, StepFailure>();
}
