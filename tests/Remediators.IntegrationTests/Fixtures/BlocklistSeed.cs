using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using Remediators.Core.Aws;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>A blocklist of one test: its own table and IP sets, as the template would create them.</summary>
public sealed record TestBlocklist(string Table, string Ipv4SetArn, string Ipv6SetArn, string? CloudFrontIpv4SetArn = null, string? CloudFrontIpv6SetArn = null)
{
    /// <summary>Template parameters pointing the functions at these sets (the table goes through a variable override).</summary>
    public Dictionary<string, string> Parameters()
    {
        var parameters = new Dictionary<string, string> { ["ExistingIpv4IpSetArn"] = Ipv4SetArn, ["ExistingIpv6IpSetArn"] = Ipv6SetArn };
        if (CloudFrontIpv4SetArn is not null)
        {
            parameters["AttackerBlockInCloudFront"] = "true";
            parameters["ExistingCloudFrontIpv4IpSetArn"] = CloudFrontIpv4SetArn;
            parameters["ExistingCloudFrontIpv6IpSetArn"] = CloudFrontIpv6SetArn!;
        }
        return parameters;
    }

    public Dictionary<string, string> Variables() => new() { ["BLOCKLIST_TABLE"] = Table };
}

/// <summary>Seeds and reads the blocklist's table, IP sets and network ACLs in moto through real AWS APIs.</summary>
public static class BlocklistSeed
{
    public static AmazonDynamoDBClient DynamoDb(this MotoServer moto) =>
        moto.Clients.Sdk<AmazonDynamoDBClient, AmazonDynamoDBConfig>(MotoServer.Region, (c, config) => new AmazonDynamoDBClient(c, config));

    public static async Task<TestBlocklist> CreateBlocklistAsync(this MotoServer moto, bool cloudFront = false)
    {
        var run = Guid.NewGuid().ToString("N")[..10];
        var table = $"blocklist-{run}";
        await moto.DynamoDb().CreateTableAsync(new CreateTableRequest
        {
            TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
        });
        return new TestBlocklist(table,
            await moto.CreateIpSetAsync($"attackers-ipv4-{run}", "REGIONAL", "IPV4"),
            await moto.CreateIpSetAsync($"attackers-ipv6-{run}", "REGIONAL", "IPV6"),
            cloudFront ? await moto.CreateIpSetAsync($"cf-attackers-ipv4-{run}", "CLOUDFRONT", "IPV4") : null,
            cloudFront ? await moto.CreateIpSetAsync($"cf-attackers-ipv6-{run}", "CLOUDFRONT", "IPV6") : null);
    }

    public static async Task<string> CreateIpSetAsync(this MotoServer moto, string name, string scope, string version, params string[] addresses)
    {
        // CLOUDFRONT sets live in us-east-1, where the tests' region already is.
        var waf = moto.Clients.Wafv2(MotoServer.Region);
        var set = await waf.CreateIpSetAsync(name, scope, version, CancellationToken.None);
        var current = await waf.GetIpSetAsync(set, CancellationToken.None);
        if (addresses.Length > 0)
            await waf.UpdateIpSetAsync(set, addresses, current.LockToken, CancellationToken.None);
        return current.IPSet.ARN;
    }

    public static async Task ReplaceAddressesAsync(this MotoServer moto, string setArn, IReadOnlyList<string> addresses)
    {
        var waf = moto.Clients.Wafv2(IpSetReference.RegionOf(setArn));
        var set = IpSetReference.FromArn(setArn);
        await waf.UpdateIpSetAsync(set, addresses, (await waf.GetIpSetAsync(set, CancellationToken.None)).LockToken, CancellationToken.None);
    }

    public static async Task<List<string>> AddressesAsync(this MotoServer moto, string setArn) =>
        [.. (await moto.Clients.Wafv2(IpSetReference.RegionOf(setArn)).GetIpSetAsync(IpSetReference.FromArn(setArn), CancellationToken.None)).IPSet.Addresses.Order(StringComparer.Ordinal)];

    public static async Task<Dictionary<string, AttributeValue>?> RecordAsync(this MotoServer moto, string table, string cidr)
    {
        var response = await moto.DynamoDb().GetItemAsync(new GetItemRequest
        {
            TableName = table, ConsistentRead = true, Key = new() { ["pk"] = new AttributeValue { S = $"address#{cidr}" } },
        });
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>Writes address records as the blocker does, 25 per BatchWriteItem, for sets filled without running the blocker.</summary>
    /// <param name="addedTo">The set the blocker added the addresses to; null for addresses it found there (someone else's).</param>
    public static async Task SeedRecordsAsync(this MotoServer moto, string table, IReadOnlyList<(string Cidr, DateTimeOffset ExpiresAt)> records, string? addedTo = null)
    {
        await Parallel.ForEachAsync(records.Chunk(25), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, token) =>
        {
            var writes = chunk.Select(r => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                ["pk"] = new() { S = $"address#{r.Cidr}" }, ["cidr"] = new() { S = r.Cidr },
                ["firstSeen"] = new() { S = Iso(r.ExpiresAt.AddDays(-1)) }, ["lastSeen"] = new() { S = Iso(r.ExpiresAt.AddDays(-1)) },
                ["expiresAt"] = new() { N = r.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["findingIds"] = new() { SS = ["seeded"] },
            }))).ToList();
            if (addedTo is not null)
                writes.ForEach(w => w.PutRequest.Item["addedTo"] = new AttributeValue { SS = [addedTo] });
            var pending = new Dictionary<string, List<WriteRequest>> { [table] = writes };
            while (pending.Count > 0)
                pending = (await moto.DynamoDb().BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, token)).UnprocessedItems is { Count: > 0 } left ? left : [];
        });
    }

    private static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<DateTimeOffset> ExpiryAsync(this MotoServer moto, string table, string cidr) =>
        DateTimeOffset.FromUnixTimeSeconds(long.Parse((await moto.RecordAsync(table, cidr))!["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A new VPC and subnet; the subnet is associated with the VPC's own default network ACL.</summary>
    public static async Task<(string SubnetId, string NetworkAclId)> CreateSubnetWithAclAsync(this MotoServer moto, string vpcCidr, string subnetCidr)
    {
        var vpc = await moto.CreateVpcAsync(vpcCidr);
        var subnet = await moto.CreateSubnetAsync(vpc, subnetCidr, "us-east-1a");
        var acls = await moto.Ec2().DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest { Filters = [new Filter("association.subnet-id", [subnet])] });
        return (subnet, acls.NetworkAcls.Single().NetworkAclId);
    }

    public static async Task<List<NetworkAclEntry>> InboundEntriesAsync(this MotoServer moto, string networkAclId)
    {
        var acls = await moto.Ec2().DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest { NetworkAclIds = [networkAclId] });
        return [.. acls.NetworkAcls.Single().Entries.Where(e => e.Egress != true).OrderBy(e => e.RuleNumber)];
    }

    public static Task AddInboundEntryAsync(this MotoServer moto, string networkAclId, int ruleNumber, string cidr, string action) =>
        moto.Ec2().CreateNetworkAclEntryAsync(new CreateNetworkAclEntryRequest
        {
            NetworkAclId = networkAclId, RuleNumber = ruleNumber, Protocol = "-1", RuleAction = action, Egress = false, CidrBlock = cidr,
        });
}

/// <summary>GuardDuty findings for tests, made from the samples in events/attacker-ip-blocker with the parts a test varies.</summary>
public static class Findings
{
    /// <summary>Later than every sample's last sighting, within the default 24 h retention.</summary>
    public static readonly DateTimeOffset SampleNow = DateTimeOffset.Parse("2026-11-21T12:30:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static string Sample(string name, params (string, string)[] replacements) =>
        LocalInvoke.SampleEvent(Path.Combine("attacker-ip-blocker", name), replacements);

    /// <summary>An inbound SSH brute force finding from <paramref name="attacker"/>, last seen at <paramref name="lastSeen"/>.</summary>
    public static string SshBruteForce(string attacker, DateTimeOffset lastSeen, string? subnetId = null, string? findingId = null)
    {
        var finding = JsonNode.Parse(Sample("ssh-brute-force.json"))!;
        var detail = finding["detail"]!;
        finding["id"] = Guid.NewGuid().ToString();
        detail["id"] = findingId ?? Guid.NewGuid().ToString("N");
        detail["service"]!["eventLastSeen"] = lastSeen.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        detail["service"]!["action"]!["networkConnectionAction"]!["remoteIpDetails"]!["ipAddressV4"] = attacker;
        if (subnetId is not null)
            detail["resource"]!["instanceDetails"]!["networkInterfaces"]![0]!["subnetId"] = subnetId;
        return finding.ToJsonString();
    }

    /// <summary>The events as the findings queue delivers them to Lambda: one SQS event, each body one EventBridge event.</summary>
    public static string SqsBatch(IEnumerable<string> events) => new JsonObject
    {
        ["Records"] = new JsonArray([.. events.Select((body, i) => (JsonNode)new JsonObject
        {
            ["messageId"] = $"message-{i:D4}", ["receiptHandle"] = $"handle-{i}", ["body"] = body, ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = "arn:aws:sqs:us-east-1:123456789012:findings", ["awsRegion"] = "us-east-1",
        })]),
    }.ToJsonString();
}
