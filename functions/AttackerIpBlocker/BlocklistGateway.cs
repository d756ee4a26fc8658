using Remediators.Core.Aws;
using Remediators.Core.Blocklist;

namespace AttackerIpBlocker;

/// <summary>The DynamoDB, WAFv2 and EC2 verbs the blocker calls, through Core's blocklist pieces.</summary>
public interface IBlocklistGateway
{
    /// <summary>Records a sighting; expiry only ever moves forward. Returns the record as it now stands.</summary>
    Task<BlockedAddress> RecordSightingAsync(Sighting sighting, CancellationToken cancellationToken);

    /// <summary>Every recorded address (one table scan): read only when a set would pass its capacity.</summary>
    Task<IReadOnlyList<BlockedAddress>> RecordsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Read-modify-write of one IP set with lock retries and write pacing; a dry run only reads. Every address a write adds is
    /// recorded as added by this suite to that set before the write.
    /// </summary>
    Task<IpSetWriteResult> WriteIpSetAsync(
        IpSetTarget set, Func<IReadOnlyList<string>, CancellationToken, Task<IpSetEdit>> edit, bool dryRun, CancellationToken cancellationToken);

    /// <summary>Records that the evicted addresses are no longer in the set by our hand.</summary>
    Task ForgetAdditionsAsync(string setArn, IReadOnlyList<string> cidrs, CancellationToken cancellationToken);

    /// <summary>The network ACL of each subnet that still exists.</summary>
    Task<IReadOnlyDictionary<string, string>> FindAclsAsync(IReadOnlyCollection<string> subnetIds, CancellationToken cancellationToken);

    /// <summary>Adds inbound deny entries for the CIDRs within the configured rule-number range; a dry run only plans.</summary>
    Task<NaclChangeResult> DenyInAclAsync(string networkAclId, IReadOnlyList<string> cidrs, bool dryRun, CancellationToken cancellationToken);

    /// <summary>The account's Elastic IPs and NAT gateway addresses in this region (cached for a few minutes).</summary>
    Task<OwnAddresses> OwnPublicAddressesAsync(CancellationToken cancellationToken);
}

public sealed class BlocklistGateway(BlocklistTable table, IpSetWriter writer, NaclDenyRules nacls, OwnAddressLookup ownAddresses) : IBlocklistGateway
{
    /// <summary>Adding deny entries to network ACLs, granted only while AttackerNaclDeny is true.</summary>
    public static readonly FeatureActions NaclDenyActions = new("AttackerNaclDenyOn", ["ec2:CreateNetworkAclEntry", "ec2:ReplaceNetworkAclEntry"]);

    public static readonly string[] IamActions =
    [
        .. IpSetWriter.IamActions,
        .. OwnAddressLookup.IamActions,
        "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:Scan",
        "ec2:DescribeNetworkAcls", .. NaclDenyActions.Actions,
    ];

    /// <summary>The gateway over the blocklist's parts; the own-address cache lives as long as the gateway (the container).</summary>
    public static BlocklistGateway From(BlocklistParts parts) =>
        new(parts.Table, parts.Writer, parts.Nacls, new OwnAddressLookup(parts.Ec2, TimeProvider.System));

    public Task<BlockedAddress> RecordSightingAsync(Sighting sighting, CancellationToken cancellationToken) =>
        table.RecordSightingAsync(sighting, cancellationToken);

    public async Task<IReadOnlyList<BlockedAddress>> RecordsAsync(CancellationToken cancellationToken) =>
        (await table.ScanAsync(cancellationToken)).Addresses;

    public Task<IpSetWriteResult> WriteIpSetAsync(
        IpSetTarget set, Func<IReadOnlyList<string>, CancellationToken, Task<IpSetEdit>> edit, bool dryRun, CancellationToken cancellationToken) =>
        writer.WriteAsync(set, edit, dryRun, cancellationToken, (added, token) => table.RecordAdditionsAsync(set.Arn, added, token));

    public Task ForgetAdditionsAsync(string setArn, IReadOnlyList<string> cidrs, CancellationToken cancellationToken) =>
        table.ForgetAdditionsAsync(setArn, cidrs, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> FindAclsAsync(IReadOnlyCollection<string> subnetIds, CancellationToken cancellationToken) =>
        nacls.FindAclsAsync(subnetIds, cancellationToken);

    public Task<NaclChangeResult> DenyInAclAsync(string networkAclId, IReadOnlyList<string> cidrs, bool dryRun, CancellationToken cancellationToken) =>
        nacls.DenyAsync(networkAclId, cidrs, dryRun, cancellationToken);

    public Task<OwnAddresses> OwnPublicAddressesAsync(CancellationToken cancellationToken) => ownAddresses.GetAsync(cancellationToken);
}
