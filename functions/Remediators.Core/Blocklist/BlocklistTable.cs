using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Remediators.Core.Blocklist;

/// <summary>
/// The blocklist's DynamoDB table (partition key <c>pk</c>): one item per blocked address (<c>address#&lt;cidr&gt;</c>), one per
/// network ACL holding the deny entries we own and its lease (<c>nacl#&lt;id&gt;</c>, see <see cref="AclLocation.RecordId"/>), one write-pacing slot per IP set
/// (<c>pace#&lt;arn&gt;</c>). <c>deleteAfter</c> is the TTL attribute: it lies a week past expiry, so DynamoDB only clears
/// records the pruner has long removed, never one whose address may still be blocked.
/// </summary>
public sealed partial class BlocklistTable(IAmazonDynamoDB dynamo, string tableName)
{
    private const string KeyAttribute = "pk";
    private const string AddressPrefix = "address#";
    private const string NaclPrefix = "nacl#";
    private const string PacePrefix = "pace#";
    private static readonly TimeSpan TimeToLiveMargin = TimeSpan.FromDays(7);

    /// <summary>
    /// Records a sighting: first sighting kept, finding ids added, last sighting and expiry moved forward only — a late or
    /// redelivered finding never shortens a block.
    /// </summary>
    public async Task<BlockedAddress> RecordSightingAsync(Sighting sighting, CancellationToken cancellationToken)
    {
        var key = AddressKey(sighting.Cidr);
        var values = new Dictionary<string, AttributeValue>
        {
            [":cidr"] = S(sighting.Cidr), [":seen"] = S(Iso.Format(sighting.SeenAt)), [":exp"] = N(sighting.ExpiresAt.ToUnixTimeSeconds()),
            [":del"] = N((sighting.ExpiresAt + TimeToLiveMargin).ToUnixTimeSeconds()), [":ids"] = new() { SS = [.. sighting.FindingIds.Distinct()] },
        };
        try
        {
            var extended = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName, Key = key, ReturnValues = ReturnValue.ALL_NEW,
                UpdateExpression = "SET cidr = :cidr, firstSeen = if_not_exists(firstSeen, :seen), lastSeen = :seen, expiresAt = :exp, deleteAfter = :del ADD findingIds :ids",
                ConditionExpression = "attribute_not_exists(expiresAt) OR expiresAt < :exp",
                ExpressionAttributeValues = values,
            }, cancellationToken);
            return ToAddress(extended.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            // A later sighting is already recorded: only the finding ids are new.
            var kept = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName, Key = key, ReturnValues = ReturnValue.ALL_NEW, UpdateExpression = "ADD findingIds :ids",
                ExpressionAttributeValues = new() { [":ids"] = values[":ids"] },
            }, cancellationToken);
            return ToAddress(kept.Attributes);
        }
    }

    /// <summary>
    /// Records that this suite adds the addresses to the set, before the write that adds them: an address must never be in a set
    /// by our hand without the record that lets the pruner take it out again. Only addresses with a sighting record are claimed.
    /// </summary>
    public Task RecordAdditionsAsync(string setArn, IEnumerable<string> cidrs, CancellationToken cancellationToken) =>
        ChangeAdditionsAsync("ADD", setArn, cidrs, cancellationToken);

    /// <summary>Records that the addresses left the set by our hand (evicted); a record gone meanwhile has nothing to forget.</summary>
    public Task ForgetAdditionsAsync(string setArn, IEnumerable<string> cidrs, CancellationToken cancellationToken) =>
        ChangeAdditionsAsync("DELETE", setArn, cidrs, cancellationToken);

    private async Task ChangeAdditionsAsync(string verb, string setArn, IEnumerable<string> cidrs, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(cidrs.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (cidr, token) =>
        {
            try
            {
                await dynamo.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = tableName, Key = AddressKey(cidr), UpdateExpression = $"{verb} addedTo :set", ConditionExpression = "attribute_exists(cidr)",
                    ExpressionAttributeValues = new() { [":set"] = new() { SS = [setArn] } },
                }, token);
            }
            catch (ConditionalCheckFailedException) when (verb == "DELETE")
            {
            }
        });

    /// <summary>The records of the given addresses (consistent reads); addresses without a record are absent.</summary>
    public async Task<IReadOnlyDictionary<string, BlockedAddress>> GetAddressesAsync(IEnumerable<string> cidrs, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, BlockedAddress>(StringComparer.Ordinal);
        foreach (var chunk in cidrs.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var pending = new Dictionary<string, KeysAndAttributes>
            {
                [tableName] = new() { Keys = [.. chunk.Select(AddressKey)], ConsistentRead = true },
            };
            for (var round = 0; pending.Count > 0; round++)
            {
                if (round > 10)
                    throw new InvalidOperationException($"DynamoDB left keys of {tableName} unprocessed after {round} BatchGetItem rounds");
                var response = await dynamo.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = pending }, cancellationToken);
                foreach (var item in response.Responses?.GetValueOrDefault(tableName) ?? [])
                    found[item["cidr"].S] = ToAddress(item);
                pending = response.UnprocessedKeys is { Count: > 0 } unprocessed ? unprocessed : [];
            }
        }
        return found;
    }

    /// <summary>Every address record and owned NACL entry (all pages).</summary>
    public async Task<BlocklistContents> ScanAsync(CancellationToken cancellationToken)
    {
        var addresses = new List<BlockedAddress>();
        var rules = new List<OwnedNaclRule>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.ScanAsync(new ScanRequest { TableName = tableName, ConsistentRead = true, ExclusiveStartKey = start }, cancellationToken);
            foreach (var item in page.Items ?? [])
            {
                var key = item[KeyAttribute].S;
                if (key.StartsWith(AddressPrefix, StringComparison.Ordinal))
                    addresses.Add(ToAddress(item));
                else if (key.StartsWith(NaclPrefix, StringComparison.Ordinal))
                    rules.AddRange(ToNaclRules(AclLocation.FromRecordId(key[NaclPrefix.Length..]), item));
            }
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return new BlocklistContents(addresses, rules);
    }

    /// <summary>Deletes the address record unless a sighting extended it since; true when it was deleted or already gone.</summary>
    public async Task<bool> DeleteIfExpiredAsync(string cidr, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = tableName, Key = AddressKey(cidr), ConditionExpression = "attribute_not_exists(expiresAt) OR expiresAt <= :now",
                ExpressionAttributeValues = new() { [":now"] = N(now.ToUnixTimeSeconds()) },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static BlockedAddress ToAddress(Dictionary<string, AttributeValue> item) => new(
        item["cidr"].S,
        Iso.Parse(item["firstSeen"].S),
        Iso.Parse(item["lastSeen"].S),
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(item["expiresAt"].N, CultureInfo.InvariantCulture)),
        [.. (item.GetValueOrDefault("findingIds")?.SS ?? []).Order(StringComparer.Ordinal)])
    {
        AddedTo = [.. (item.GetValueOrDefault("addedTo")?.SS ?? []).Order(StringComparer.Ordinal)],
    };

    private static Dictionary<string, AttributeValue> AddressKey(string cidr) => Key(AddressPrefix + cidr);

    private static Dictionary<string, AttributeValue> Key(string value) => new() { [KeyAttribute] = S(value) };

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
