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
    /// Claims the IP set's next write slot: the first instant from now on that is at least <paramref name="interval"/> after
    /// every slot claimed before, by any process. The caller writes no earlier than it. "Now" is read after the current slot
    /// is, so a caller that need not wait writes one call's latency after its slot at most.
    /// </summary>
    public async Task<DateTimeOffset> ClaimWriteSlotAsync(string setArn, TimeProvider wallClock, TimeSpan interval, CancellationToken cancellationToken)
    {
        var key = Key(PacePrefix + setArn);
        for (var claim = 1; ; claim++)
        {
            var current = await dynamo.GetItemAsync(new GetItemRequest { TableName = tableName, Key = key, ConsistentRead = true }, cancellationToken);
            var nextFree = current.Item?.GetValueOrDefault("nextWriteAt") is { N: { } next } ? FromUnixMs(next) : DateTimeOffset.MinValue;
            var now = wallClock.GetUtcNow();
            var slot = nextFree > now ? nextFree : now;
            try
            {
                await dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = tableName, Key = key,
                    UpdateExpression = "SET nextWriteAt = :next, deleteAfter = :del",
                    ConditionExpression = "attribute_not_exists(nextWriteAt) OR nextWriteAt <= :slot",
                    ExpressionAttributeValues = new()
                    {
                        [":next"] = UnixMs(slot + interval), [":slot"] = UnixMs(slot), [":del"] = N((slot + TimeSpan.FromDays(1)).ToUnixTimeSeconds()),
                    },
                }, cancellationToken);
                return slot;
            }
            catch (ConditionalCheckFailedException) when (claim < MaxSlotClaims)
            {
                // Another process claimed a slot between our read and write: read again.
            }
        }
    }

    /// <summary>
    /// Takes the ACL's lease until <paramref name="now"/> + <paramref name="duration"/> and returns the deny entries we own
    /// there, or null while another run holds an unexpired lease. Taking it again as its holder succeeds: a lease call whose
    /// answer was lost is replayed by the SDK, and must not lock its own caller out.
    /// </summary>
    public async Task<IReadOnlyList<OwnedNaclRule>?> TryLeaseNaclAsync(
        string networkAclId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName, Key = Key(NaclPrefix + networkAclId), ReturnValues = ReturnValue.ALL_NEW,
                UpdateExpression = "SET leaseOwner = :owner, leaseUntil = :until",
                ConditionExpression = "attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :owner",
                ExpressionAttributeValues = new() { [":owner"] = S(owner), [":until"] = UnixMs(now + duration), [":now"] = UnixMs(now) },
            }, cancellationToken);
            return ToNaclRules(networkAclId, response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    /// <summary>Saves the entries we own in the ACL and gives the lease back; fails if the lease was lost meanwhile.</summary>
    public async Task ReleaseNaclAsync(string networkAclId, string owner, IReadOnlyList<OwnedNaclRule> owned, CancellationToken cancellationToken)
    {
        var rules = owned.ToDictionary(
            r => r.RuleNumber.ToString(CultureInfo.InvariantCulture),
            r => new AttributeValue { M = new() { ["cidr"] = S(r.Cidr), ["addedAt"] = S(Iso.Format(r.AddedAt)) } });
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName, Key = Key(NaclPrefix + networkAclId),
                UpdateExpression = "SET #rules = :rules REMOVE leaseOwner, leaseUntil",
                ConditionExpression = "leaseOwner = :owner",
                ExpressionAttributeNames = new() { ["#rules"] = "rules" },
                ExpressionAttributeValues = new() { [":rules"] = new() { M = rules }, [":owner"] = S(owner) },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException error)
        {
            throw new InvalidOperationException($"the lease on {networkAclId} expired while its entries were changed; the next run reconciles them", error);
        }
    }

    /// <summary>The deny entries we own in the ACL, read without a lease (dry-run planning).</summary>
    public async Task<IReadOnlyList<OwnedNaclRule>> ReadNaclRulesAsync(string networkAclId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = tableName, Key = Key(NaclPrefix + networkAclId), ConsistentRead = true,
        }, cancellationToken);
        return ToNaclRules(networkAclId, response.Item);
    }

    private static List<OwnedNaclRule> ToNaclRules(string networkAclId, Dictionary<string, AttributeValue>? item) =>
        [.. (item?.GetValueOrDefault("rules")?.M ?? []).Select(rule => new OwnedNaclRule(
            networkAclId, int.Parse(rule.Key, CultureInfo.InvariantCulture), rule.Value.M["cidr"].S, Iso.Parse(rule.Value.M["addedAt"].S)))];

    private static AttributeValue UnixMs(DateTimeOffset instant) => N(instant.ToUnixTimeMilliseconds());

    private static DateTimeOffset FromUnixMs(string value) => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value, CultureInfo.InvariantCulture));
}
