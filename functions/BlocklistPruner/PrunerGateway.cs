using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.Core.Targets;

namespace BlocklistPruner;

/// <summary>The DynamoDB, WAFv2 and EC2 verbs the pruner calls, through Core's blocklist pieces.</summary>
public interface IPrunerGateway
{
    Task<BlocklistContents> ScanAsync(CancellationToken cancellationToken);

    /// <summary>Fresh (consistent) records of the addresses; those without a record are absent.</summary>
    Task<IReadOnlyDictionary<string, BlockedAddress>> GetAddressesAsync(IReadOnlyCollection<string> cidrs, CancellationToken cancellationToken);

    /// <summary>Read-modify-write of one IP set; an address a write puts back is recorded as added by this suite first.</summary>
    Task<IpSetWriteResult> WriteIpSetAsync(
        IpSetTarget set, Func<IReadOnlyList<string>, CancellationToken, Task<IpSetEdit>> edit, bool dryRun, CancellationToken cancellationToken);

    /// <summary>Deletes our entries for the CIDRs in the ACL, in its account and region (reached before the prune starts).</summary>
    Task<NaclChangeResult> RemoveFromAclAsync(AclLocation acl, IReadOnlySet<string> cidrs, bool dryRun, CancellationToken cancellationToken);

    /// <summary>Deletes the record unless a sighting extended it since; true when deleted.</summary>
    Task<bool> DeleteIfExpiredAsync(string cidr, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <param name="naclsIn">The deny rules of the ACLs in the function's own account and region (null), or in another target.</param>
public sealed class PrunerGateway(BlocklistTable table, IpSetWriter writer, Func<Target?, NaclDenyRules> naclsIn) : IPrunerGateway
{
    /// <summary>Deleting our deny entries from network ACLs, granted only while AttackerNaclDeny is true.</summary>
    public static readonly FeatureActions NaclDenyActions = new("AttackerNaclDenyOn", ["ec2:DeleteNetworkAclEntry"]);

    public static readonly string[] IamActions =
    [
        .. IpSetWriter.IamActions,
        "dynamodb:Scan", "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "ec2:DescribeNetworkAcls", .. NaclDenyActions.Actions,
    ];

    public Task<BlocklistContents> ScanAsync(CancellationToken cancellationToken) => table.ScanAsync(cancellationToken);

    public Task<IReadOnlyDictionary<string, BlockedAddress>> GetAddressesAsync(IReadOnlyCollection<string> cidrs, CancellationToken cancellationToken) =>
        table.GetAddressesAsync(cidrs, cancellationToken);

    public Task<IpSetWriteResult> WriteIpSetAsync(
        IpSetTarget set, Func<IReadOnlyList<string>, CancellationToken, Task<IpSetEdit>> edit, bool dryRun, CancellationToken cancellationToken) =>
        writer.WriteAsync(set, edit, dryRun, cancellationToken, (added, token) => table.RecordAdditionsAsync(set.Arn, added, token));

    public Task<NaclChangeResult> RemoveFromAclAsync(AclLocation acl, IReadOnlySet<string> cidrs, bool dryRun, CancellationToken cancellationToken) =>
        naclsIn(acl.Elsewhere).RemoveAsync(acl.NetworkAclId, cidrs, dryRun, cancellationToken);

    public Task<bool> DeleteIfExpiredAsync(string cidr, DateTimeOffset now, CancellationToken cancellationToken) =>
        table.DeleteIfExpiredAsync(cidr, now, cancellationToken);
}
