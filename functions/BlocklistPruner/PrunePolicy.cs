using Remediators.Core.Blocklist;

namespace BlocklistPruner;

/// <summary>What to unblock: ACL entries grouped by ACL (wherever it is), and the addresses whose block ended.</summary>
public sealed record PrunePlan(IReadOnlyList<BlockedAddress> Expired, IReadOnlyDictionary<AclLocation, IReadOnlySet<string>> NaclCidrsByAcl)
{
    public bool IsEmpty => Expired.Count == 0 && NaclCidrsByAcl.Count == 0;
}

/// <summary>
/// The pure decision of the pruner: an address is unblocked once its expiry has passed. A NACL entry we own is removed when its
/// address expired or has no record any more (its block can no longer be extended, so nothing would ever remove it otherwise).
/// Addresses in a set that the table does not know, or that were in the set before this suite added them, are not ours and are
/// never touched.
/// </summary>
public static class PrunePolicy
{
    public static PrunePlan Plan(BlocklistContents contents, DateTimeOffset now)
    {
        var expired = contents.Addresses.Where(a => a.IsExpired(now)).OrderBy(a => a.ExpiresAt).ThenBy(a => a.Cidr, StringComparer.Ordinal).ToList();
        var live = contents.Addresses.Where(a => !a.IsExpired(now)).Select(a => IpSetPlanner.Canonical(a.Cidr)).ToHashSet(StringComparer.Ordinal);
        var byAcl = contents.NaclRules
            .Where(r => !live.Contains(IpSetPlanner.Canonical(r.Cidr)))
            .GroupBy(r => r.Acl)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => IpSetPlanner.Canonical(r.Cidr)).ToHashSet(StringComparer.Ordinal));
        return new PrunePlan(expired, byAcl);
    }

    /// <summary>
    /// Of the expired addresses a set holds, those to take out of it: still expired on a fresh read and added to that set by this
    /// suite. An address someone else put in the set, or whose record is gone (another run finished it), stays.
    /// </summary>
    public static IReadOnlySet<string> Removable(IEnumerable<string> held, IReadOnlyDictionary<string, BlockedAddress> fresh, string setArn, DateTimeOffset now) =>
        held.Select(IpSetPlanner.Canonical).Where(c => fresh.TryGetValue(c, out var record) && record.IsExpired(now) && record.WasAddedTo(setArn))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Of the planned addresses, those still expired on a fresh read: a sighting since the scan keeps an address blocked.</summary>
    public static IReadOnlySet<string> StillExpired(IEnumerable<string> cidrs, IReadOnlyDictionary<string, BlockedAddress> fresh, DateTimeOffset now) =>
        cidrs.Where(c => !fresh.TryGetValue(c, out var record) || record.IsExpired(now)).Select(IpSetPlanner.Canonical).ToHashSet(StringComparer.Ordinal);
}
