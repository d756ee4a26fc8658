using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Remediators.Core.Blocklist;

/// <summary>
/// The table's records that coordinate concurrent runs (any number of Lambda instances): the write slots that space each IP
/// set's writes, and the per-ACL lease under which NACL entries are changed, with the list of entries we own there.
/// These use the wall clock, never a test clock: leases and slots must expire in real time.
/// </summary>
public sealed partial class BlocklistTable
{
    private const int MaxSlotClaims = 50;

    /// <summary>
    /// Claims the IP set's next write slot: now, when every slot claimed before (by any process) is at least
    /// <paramref name="interval"/> old, else the slot <paramref name="interval"/> after the last one claimed. The caller writes
    /// no earlier than it. Taking the next slot is an atomic increment, which concurrent writers cannot lose to one another,
    /// so a claim costs one or two calls however many processes claim at once.
    /// </summary>
    public async Task<DateTimeOffset> ClaimWriteSlotAsync(string setArn, TimeProvider wallClock, TimeSpan interval, CancellationToken cancellationToken)
    {
        var key = Key(PacePrefix + setArn);
        for (var claim = 1; ; claim++)
        {
            // Whole milliseconds, as slots are stored: else the next slot, counted from the stored one, could come 1 ms short of an interval.
            var now = DateTimeOffset.FromUnixTimeMilliseconds(wallClock.GetUtcNow().ToUnixTimeMilliseconds());
            var deleteAfter = N((now + TimeSpan.FromDays(1)).ToUnixTimeSeconds());
            try
            {
                await dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = tableName, Key = key,
                    UpdateExpression = "SET nextWriteAt = :next, deleteAfter = :del",
                    ConditionExpression = "attribute_not_exists(nextWriteAt) OR nextWriteAt <= :now",
                    ExpressionAttributeValues = new() { [":next"] = UnixMs(now + interval), [":now"] = UnixMs(now), [":del"] = deleteAfter },
                }, cancellationToken);
                return now;
            }
            catch (ConditionalCheckFailedException)
            {
                // A slot is still ahead: take the one after the last claimed.
            }
            try
            {
                var taken = await dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = tableName, Key = key, ReturnValues = ReturnValue.UPDATED_NEW,
                    UpdateExpression = "SET nextWriteAt = nextWriteAt + :interval, deleteAfter = :del",
                    ConditionExpression = "nextWriteAt > :now",
                    ExpressionAttributeValues = new() { [":interval"] = N((long)interval.TotalMilliseconds), [":now"] = UnixMs(now), [":del"] = deleteAfter },
                }, cancellationToken);
                return FromUnixMs(taken.Attributes["nextWriteAt"].N) - interval;
            }
            catch (ConditionalCheckFailedException) when (claim < MaxSlotClaims)
            {
                // The last slot passed between the two calls: the set is free now.
            }
        }
    }

    /// <summary>
    /// Takes the ACL's lease until <paramref name="now"/> + <paramref name="duration"/> and returns the deny entries we own
    /// there, or null while another run holds an unexpired lease. Taking it again as its holder succeeds: a lease call whose
    /// answer was lost is replayed by the SDK, and must not lock its own caller out.
    /// </summary>
    public async Task<IReadOnlyList<OwnedNaclRule>?> TryLeaseNaclAsync(
        AclLocation acl, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName, Key = Key(NaclPrefix + acl.RecordId), ReturnValues = ReturnValue.ALL_NEW,
                UpdateExpression = "SET leaseOwner = :owner, leaseUntil = :until",
                ConditionExpression = "attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner",
                ExpressionAttributeValues = new() { [":owner"] = S(owner), [":until"] = UnixMs(now + duration), [":now"] = UnixMs(now) },
            }, cancellationToken);
            return ToNaclRules(acl, response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    /// <summary>Saves the entries we own in the ACL and gives the lease back; fails if the lease was lost meanwhile.</summary>
    public async Task ReleaseNaclAsync(AclLocation acl, string owner, IReadOnlyList<OwnedNaclRule> owned, CancellationToken cancellationToken)
    {
        var rules = owned.ToDictionary(
            r => r.RuleNumber.ToString(CultureInfo.InvariantCulture),
            r => new AttributeValue { M = new() { ["cidr"] = S(r.Cidr), ["addedAt"] = S(Iso.Format(r.AddedAt)) } });
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName, Key = Key(NaclPrefix + acl.RecordId),
                UpdateExpression = "SET #rules = :rules REMOVE leaseOwner, leaseUntil",
                ConditionExpression = "leaseOwner = :owner",
                ExpressionAttributeNames = new() { ["#rules"] = "rules" },
                ExpressionAttributeValues = new() { [":rules"] = new() { M = rules }, [":owner"] = S(owner) },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException error)
        {
            throw new InvalidOperationException($"the lease on {acl} expired while its entries were changed; the next run reconciles them", error);
        }
    }

    /// <summary>The deny entries we own in the ACL, read without a lease (dry-run planning).</summary>
    public async Task<IReadOnlyList<OwnedNaclRule>> ReadNaclRulesAsync(AclLocation acl, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = tableName, Key = Key(NaclPrefix + acl.RecordId), ConsistentRead = true,
        }, cancellationToken);
        return ToNaclRules(acl, response.Item);
    }

    private static List<OwnedNaclRule> ToNaclRules(AclLocation acl, Dictionary<string, AttributeValue>? item) =>
        [.. (item?.GetValueOrDefault("rules")?.M ?? []).Select(rule => new OwnedNaclRule(
            acl.NetworkAclId, int.Parse(rule.Key, CultureInfo.InvariantCulture), rule.Value.M["cidr"].S, Iso.Parse(rule.Value.M["addedAt"].S))
        {
            Elsewhere = acl.Elsewhere,
        })];

    private static AttributeValue UnixMs(DateTimeOffset instant) => N(instant.ToUnixTimeMilliseconds());

    private static DateTimeOffset FromUnixMs(string value) => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value, CultureInfo.InvariantCulture));
}
