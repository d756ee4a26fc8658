using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace AttackerIpBlocker;

/// <summary>
/// The Report step's content: one result per address (added, already present, evicted, refused with the reason), per
/// rejected message and per finding with nothing to block; each change carries what undoing it needs.
/// </summary>
internal static class BlockingResults
{
    public const string AddAction = "AddToIpSet";
    public const string EvictAction = "EvictFromIpSet";
    public const string CreateDenyAction = "CreateNaclDenyEntry";
    public const string ReplaceDenyAction = "ReplaceNaclDenyEntry";

    /// <param name="targets">Where the findings' accounts and regions are not the function's own, how their undo is run; null when all are.</param>
    public static List<ResourceResult> Build(
        BlockingReport report, IReadOnlyList<FindingDecision> decisions, IReadOnlyList<RejectedMessage> rejected, bool dryRun, TargetAccess? targets = null)
    {
        var results = new List<ResourceResult>();
        var blocked = report.Sightings.Select(s => s.Cidr).ToHashSet(StringComparer.Ordinal);
        foreach (var sighting in report.Sightings)
            results.Add(OrFailed(ForSighting(sighting, report, dryRun, targets), report));

        foreach (var (set, cidr) in report.Writes.SelectMany(w => w.Edit.Evicted.Select(cidr => (w.Set, cidr))))
            results.Add(OrFailed(new ResourceResult(cidr, dryRun ? OutcomeStatus.DryRun : OutcomeStatus.Remediated,
                $"{(dryRun ? "would be evicted" : "evicted")}: {set.Arn} would pass {IpSetPlanner.MaxAddresses} addresses and this entry expires soonest",
                [new Change(EvictAction, set.Arn, "set full; the entries expiring soonest make room", BlocklistChangeDetails.IpSet(set.Arn, cidr, "present"),
                    BlocklistChangeDetails.AddBackToIpSet(set.Arn, cidr))]), report));

        // An address one finding refuses but another blocks is reported once, as blocked.
        foreach (var refusal in decisions.SelectMany(d => d.Addresses).Where(a => a.Refusal is not null && !(a.Block is { } b && blocked.Contains(b.Cidr)))
                     .DistinctBy(a => (a.Text, a.Refusal)))
            results.Add(ResourceResult.NoChange(refusal.Text, OutcomeStatus.Exempt, $"not blocked: {refusal.Refusal}"));
        foreach (var nothing in decisions.Where(d => d.NothingReason is not null))
            results.Add(ResourceResult.NoChange(nothing.FindingId, OutcomeStatus.AlreadyCompliant, nothing.NothingReason!));
        foreach (var message in rejected)
            results.Add(ResourceResult.NoChange(message.MessageId, OutcomeStatus.Rejected, message.Reason));
        return results;
    }

    public static Dictionary<string, long> Count(BlockingReport report, IReadOnlyList<ResourceResult> results, bool dryRun)
    {
        var changed = results.Where(r => r.Changes.Any(c => c.Action == AddAction)).ToList();
        return new()
        {
            ["AddressesAdded"] = dryRun ? 0 : changed.Count,
            ["AddressesPlanned"] = dryRun ? changed.Count : 0,
            ["AddressesAlreadyPresent"] = results.Count(r => r.Status == OutcomeStatus.AlreadyCompliant && r.Changes.Count == 0 && report.Sightings.Any(s => s.Cidr == r.ResourceId)),
            ["AddressesRefused"] = results.Count(r => r.Status is OutcomeStatus.Exempt or OutcomeStatus.Capped),
            ["AddressesEvicted"] = results.Count(r => r.Changes.Any(c => c.Action == EvictAction)),
            ["IpSetWrites"] = report.Writes.Count(w => w.Written),
            ["IpSetWriteRetries"] = report.Writes.Sum(w => w.Attempts - 1),
            ["NaclEntriesAdded"] = dryRun ? 0 : report.Nacls.Sum(n => n.Steps.Count(s => s is NaclStep.Create or NaclStep.Replace)),
            ["MessagesRejected"] = results.Count(r => r.Status == OutcomeStatus.Rejected),
        };
    }

    /// <summary>The address's result as Failed when one of its steps threw, keeping the changes made before (and besides) it.</summary>
    private static ResourceResult OrFailed(ResourceResult result, BlockingReport report) =>
        report.Failures.TryGetValue(result.ResourceId, out var failure) ? ResourceResult.Failed(result.ResourceId, failure.Doing, failure.Error, result.Changes) : result;

    private static ResourceResult ForSighting(BatchSighting sighting, BlockingReport report, bool dryRun, TargetAccess? targets)
    {
        var seenElsewhere = targets is not null && sighting.Targets.Any(t => t != targets.Home);
        var seenIn = seenElsewhere ? $" in {string.Join(", ", sighting.Targets.Select(t => $"account {t.Account} ({t.Region})"))}" : "";
        var why = $"{string.Join(", ", sighting.FindingTypes)} ({sighting.FindingIds.Count} finding(s){seenIn}); blocked until {Iso.Format(sighting.ExpiresAt)}";
        string UndoIn(NaclChangeResult acl, string howToUndo) => acl.Elsewhere is { } target && targets is not null ? targets.UndoIn(target, howToUndo) : howToUndo;
        var writes = report.Writes.Where(w => w.Set.IsIpv6 == sighting.IsIpv6).ToList();
        var changes = new List<Change>();
        changes.AddRange(writes.Where(w => w.Edit.Added.Contains(sighting.Cidr))
            .Select(w => new Change(AddAction, w.Set.Arn, why, BlocklistChangeDetails.IpSet(w.Set.Arn, sighting.Cidr, "absent"),
                BlocklistChangeDetails.RemoveFromIpSet(w.Set.Arn, sighting.Cidr) + "; the pruner removes it by itself when the block expires, " +
                $"and adding it to the {AttackerIpBlockerSettings.AllowlistCidrsParameter} parameter stops it being blocked again.")));
        foreach (var acl in report.Nacls)
        {
            changes.AddRange(acl.Steps.Where(s => s.Cidr == sighting.Cidr).Select(step => step switch
            {
                NaclStep.Create c => new Change(CreateDenyAction, acl.NetworkAclId, why, BlocklistChangeDetails.NaclEntry(acl.Acl, c.RuleNumber, "absent"),
                    UndoIn(acl, $"Delete the deny entry: aws ec2 delete-network-acl-entry --network-acl-id {acl.NetworkAclId} --rule-number {c.RuleNumber} --ingress")),
                NaclStep.Replace r => new Change(ReplaceDenyAction, acl.NetworkAclId, $"{why}; the rule range is full, so our oldest entry ({r.Previous.Cidr}) gave its number",
                    BlocklistChangeDetails.NaclEntry(acl.Acl, r.Previous.RuleNumber, $"deny {r.Previous.Cidr}"),
                    UndoIn(acl, $"Put the previous entry (deny {r.Previous.Cidr}) back: aws ec2 replace-network-acl-entry --network-acl-id {acl.NetworkAclId} " +
                    $"--rule-number {r.Previous.RuleNumber} --ingress {BlocklistChangeDetails.DenyEntryOptions(r.Previous.Cidr)}")),
                _ => null,
            }).OfType<Change>());
        }

        var full = writes.Where(w => w.Edit.RefusedFull.Contains(sighting.Cidr)).Select(w => w.Set.Arn).ToList();
        var noRoom = report.Nacls.SelectMany(a => a.Steps.OfType<NaclStep.NoRoom>().Where(s => s.Cidr == sighting.Cidr).Select(s => $"{a.Acl}: {s.Reason}")).ToList();
        var others = writes.Where(w => w.Edit.AlreadyPresent.Contains(sighting.Cidr) && report.IsSomeoneElses(w.Set.Arn, sighting.Cidr))
            .Select(w => $"already in {w.Set.Arn}, not put there by this suite: it stays there when the block ends");
        var notes = string.Join("; ", full.Select(arn => $"not added to {arn}: it is full of entries expiring later or not ours").Concat(noRoom).Concat(others));
        if (changes.Count > 0)
            return new ResourceResult(sighting.Cidr, dryRun ? OutcomeStatus.DryRun : OutcomeStatus.Remediated,
                (dryRun ? "dry run, would block: " : "blocked: ") + why + (notes.Length > 0 ? $"; {notes}" : ""), changes);
        if (full.Count > 0)
            return new ResourceResult(sighting.Cidr, OutcomeStatus.Capped, $"not blocked: {notes}", []);
        return ResourceResult.NoChange(sighting.Cidr, OutcomeStatus.AlreadyCompliant,
            $"already in every IP set; the block {(dryRun ? "would last" : "lasts")} until {Iso.Format(sighting.ExpiresAt)} or later" + (notes.Length > 0 ? $"; {notes}" : ""));
    }
}
