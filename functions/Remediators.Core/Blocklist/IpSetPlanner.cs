using System.Net;

namespace Remediators.Core.Blocklist;

/// <summary>What one write does to an IP set: its new address list, and what happened to each address asked about.</summary>
public sealed record IpSetEdit(
    IReadOnlyList<string> Addresses,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> AlreadyPresent,
    IReadOnlyList<string> Evicted,
    IReadOnlyList<string> RefusedFull,
    IReadOnlyList<string> Removed)
{
    public bool ChangesSet => Added.Count > 0 || Evicted.Count > 0 || Removed.Count > 0;
}

/// <summary>An address to put in a set, with the end of its block (which decides what is evicted first when the set is full).</summary>
public sealed record IpSetAddition(string Cidr, DateTimeOffset ExpiresAt);

/// <summary>
/// The pure decision of an IP set's new list. Addresses are compared in canonical form, so "2001:DB8::1/128" already in the
/// set is the same as "2001:db8::1/128". Addresses the set holds that we have no record of (added by people) are never
/// evicted or removed.
/// </summary>
public static class IpSetPlanner
{
    /// <summary>WAF's limit of addresses in one IP set.</summary>
    public const int MaxAddresses = 10_000;

    /// <summary>
    /// Adds the additions missing from <paramref name="current"/>. When that would pass <paramref name="capacity"/>, the
    /// entries that expire soonest make room: ours already in the set are evicted, new ones are refused.
    /// </summary>
    /// <param name="ourExpiries">Expiry by canonical CIDR of every address we recorded; needed only when the set would overflow.</param>
    public static IpSetEdit Add(
        IReadOnlyList<string> current, IReadOnlyList<IpSetAddition> additions, IReadOnlyDictionary<string, DateTimeOffset> ourExpiries, int capacity = MaxAddresses)
    {
        var present = current.Select(Canonical).ToHashSet(StringComparer.Ordinal);
        var wanted = additions.GroupBy(a => Canonical(a.Cidr), StringComparer.Ordinal)
            .Select(g => new IpSetAddition(g.Key, g.Max(a => a.ExpiresAt))).ToList();
        var alreadyPresent = wanted.Where(a => present.Contains(a.Cidr)).Select(a => a.Cidr).ToList();
        var missing = wanted.Where(a => !present.Contains(a.Cidr)).ToList();

        var overflow = present.Count + missing.Count - capacity;
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        if (overflow > 0)
        {
            var existing = current.Select(Canonical).Where(c => ourExpiries.ContainsKey(c) && !alreadyPresent.Contains(c))
                .Select(c => (Cidr: c, ExpiresAt: ourExpiries[c], IsNew: false));
            var pool = existing.Concat(missing.Select(m => (m.Cidr, m.ExpiresAt, IsNew: true)))
                .OrderBy(e => e.ExpiresAt).ThenBy(e => e.IsNew).ThenBy(e => e.Cidr, StringComparer.Ordinal);
            dropped.UnionWith(pool.Take(overflow).Select(e => e.Cidr));
        }

        var added = missing.Where(m => !dropped.Contains(m.Cidr)).Select(m => m.Cidr).ToList();
        var refused = missing.Where(m => dropped.Contains(m.Cidr)).Select(m => m.Cidr).ToList();
        var evicted = current.Where(c => dropped.Contains(Canonical(c))).ToList();
        var addresses = current.Where(c => !dropped.Contains(Canonical(c))).Concat(added).ToList();
        return new IpSetEdit(addresses, added, alreadyPresent, evicted, refused, []);
    }

    /// <summary>Removes the expired addresses the set holds; everything else stays exactly as it was.</summary>
    public static IpSetEdit Remove(IReadOnlyList<string> current, IReadOnlySet<string> expired)
    {
        var gone = current.Where(c => expired.Contains(Canonical(c))).ToList();
        return new IpSetEdit([.. current.Where(c => !expired.Contains(Canonical(c)))], [], [], [], [], gone);
    }

    /// <summary>"2001:DB8:0::1/128" → "2001:db8::1/128"; text that is not a CIDR is kept as it is.</summary>
    public static string Canonical(string cidr) => IPNetwork.TryParse(cidr, out var network) ? network.ToString() : cidr;
}
