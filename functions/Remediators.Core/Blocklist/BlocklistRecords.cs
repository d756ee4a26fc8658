using System.Globalization;
using Remediators.Core.Targets;

namespace Remediators.Core.Blocklist;

/// <summary>
/// What the blocklist table knows about one blocked address (IPv4 /32 or IPv6 /128), and the IP sets this suite added it to:
/// an address that was already in a set when a finding named it is someone else's entry there, never removed or evicted.
/// </summary>
public sealed record BlockedAddress(
    string Cidr, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, DateTimeOffset ExpiresAt, IReadOnlyList<string> FindingIds)
{
    /// <summary>ARNs of the IP sets this suite added the address to (recorded before each write that adds it).</summary>
    public IReadOnlyList<string> AddedTo { get; init; } = [];

    public bool IsExpired(DateTimeOffset now) => ExpiresAt <= now;

    public bool WasAddedTo(string setArn) => AddedTo.Contains(setArn, StringComparer.Ordinal);
}

/// <summary>Findings in one batch naming an address: the latest time it was seen and the block's end that follows.</summary>
public sealed record Sighting(string Cidr, DateTimeOffset SeenAt, DateTimeOffset ExpiresAt, IReadOnlyList<string> FindingIds);

/// <summary>An inbound deny entry this suite added to a network ACL, as recorded in the table (the ACL itself cannot be tagged).</summary>
public sealed record OwnedNaclRule(string NetworkAclId, int RuleNumber, string Cidr, DateTimeOffset AddedAt)
{
    /// <summary>The ACL's account and region when they are not the function's own; see <see cref="AclLocation"/>.</summary>
    public Target? Elsewhere { get; init; }

    public AclLocation Acl => new(NetworkAclId, Elsewhere);
}

/// <summary>
/// A network ACL and where it is: in the function's own account and region (<see cref="Elsewhere"/> null, as before there were
/// targets), or in another target account or region, reached through that account's member role.
/// </summary>
public sealed record AclLocation(string NetworkAclId, Target? Elsewhere = null)
{
    /// <summary>Its id in the blocklist table: the ACL id at home (as ever), <c>&lt;account&gt;/&lt;region&gt;/&lt;acl id&gt;</c> elsewhere.</summary>
    public string RecordId => Elsewhere is { } target ? $"{target.Account}/{target.Region}/{NetworkAclId}" : NetworkAclId;

    public static AclLocation FromRecordId(string recordId) => recordId.Split('/') is [var account, var region, var acl]
        ? new AclLocation(acl, new Target(account, region))
        : new AclLocation(recordId);

    public override string ToString() => Elsewhere is { } target ? $"{NetworkAclId} (account {target.Account}, region {target.Region})" : NetworkAclId;
}

/// <summary>Every record of the table: blocked addresses, and the NACL deny entries owned per ACL.</summary>
public sealed record BlocklistContents(IReadOnlyList<BlockedAddress> Addresses, IReadOnlyList<OwnedNaclRule> NaclRules);

/// <summary>Instants as the records and outcome reasons write them: ISO 8601 UTC to the second.</summary>
public static class Iso
{
    public static string Format(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
