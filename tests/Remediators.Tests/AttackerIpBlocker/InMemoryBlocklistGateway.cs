using AttackerIpBlocker;
using Remediators.Core.Blocklist;

namespace Remediators.Tests.AttackerIpBlocker;

/// <summary>
/// The blocker's gateway in memory, for what moto cannot do on cue: a call that fails for one set, ACL or address. It keeps
/// the sets' addresses and the records, and logs every call with whether it was a dry run.
/// </summary>
public sealed class InMemoryBlocklistGateway : IBlocklistGateway
{
    public Dictionary<string, List<string>> Sets { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, BlockedAddress> Records { get; } = new(StringComparer.Ordinal);
    public List<string> Calls { get; } = [];

    /// <summary>Throws from the call named (e.g. "DenyInAcl acl-1", "WriteIpSet &lt;arn&gt;", "RecordSighting &lt;cidr&gt;").</summary>
    public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> AclOfSubnet { get; } = new(StringComparer.Ordinal);

    public Task<BlockedAddress> RecordSightingAsync(Sighting sighting, CancellationToken cancellationToken)
    {
        Log($"RecordSighting {sighting.Cidr}");
        var record = Records.GetValueOrDefault(sighting.Cidr) is { } known ? known with { ExpiresAt = sighting.ExpiresAt }
            : new BlockedAddress(sighting.Cidr, sighting.SeenAt, sighting.SeenAt, sighting.ExpiresAt, sighting.FindingIds);
        lock (Records)
            Records[sighting.Cidr] = record;
        return Task.FromResult(record);
    }

    public Task<IReadOnlyList<BlockedAddress>> RecordsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BlockedAddress>>([.. Records.Values]);

    public async Task<IpSetWriteResult> WriteIpSetAsync(
        IpSetTarget set, Func<IReadOnlyList<string>, CancellationToken, Task<IpSetEdit>> edit, bool dryRun, CancellationToken cancellationToken)
    {
        Log($"WriteIpSet {set.Arn}", dryRun);
        var current = Sets.GetValueOrDefault(set.Arn) ?? [];
        var change = await edit(current, cancellationToken);
        if (dryRun || !change.ChangesSet)
            return new IpSetWriteResult(set, change, false, 1);
        foreach (var added in change.Added)
            Records[added] = Records[added] with { AddedTo = [.. Records[added].AddedTo, set.Arn] };
        Sets[set.Arn] = [.. change.Addresses];
        return new IpSetWriteResult(set, change, true, 1);
    }

    public Task ForgetAdditionsAsync(string setArn, IReadOnlyList<string> cidrs, CancellationToken cancellationToken)
    {
        Log($"ForgetAdditions {setArn}");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, string>> FindAclsAsync(IReadOnlyCollection<string> subnetIds, CancellationToken cancellationToken)
    {
        Log("FindAcls");
        return Task.FromResult<IReadOnlyDictionary<string, string>>(subnetIds.Where(AclOfSubnet.ContainsKey).ToDictionary(s => s, s => AclOfSubnet[s]));
    }

    public Task<NaclChangeResult> DenyInAclAsync(string networkAclId, IReadOnlyList<string> cidrs, bool dryRun, CancellationToken cancellationToken)
    {
        Log($"DenyInAcl {networkAclId}", dryRun);
        return Task.FromResult(new NaclChangeResult(networkAclId, [.. cidrs.Select((c, i) => (NaclStep)new NaclStep.Create(c, i + 1))]));
    }

    public Task<OwnAddresses> OwnPublicAddressesAsync(CancellationToken cancellationToken)
    {
        Log("OwnPublicAddresses");
        return Task.FromResult(OwnAddresses.None);
    }

    private void Log(string call, bool dryRun = false)
    {
        lock (Calls)
            Calls.Add(dryRun ? $"{call} (dry run)" : call);
        if (Failing.Contains(call))
            throw new InvalidOperationException($"injected failure of {call}");
    }
}
