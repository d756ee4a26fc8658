using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediators.Core.Aws;

namespace Remediators.Bench.Harness;

/// <summary>A blocklist table and REGIONAL IPv4 and IPv6 WAF IP sets, created as the template would create them.</summary>
internal sealed record BenchBlocklist(string Table, string Ipv4SetArn, string Ipv6SetArn)
{
    public static async Task<BenchBlocklist> CreateAsync(BenchAccount account, string name, CancellationToken cancellationToken)
    {
        var dynamo = account.Clients.Sdk<AmazonDynamoDBClient, AmazonDynamoDBConfig>(BenchAccount.Region, (c, config) => new AmazonDynamoDBClient(c, config));
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name, BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
        }, cancellationToken);
        return new BenchBlocklist(name,
            await CreateSetAsync(account, $"{name}-ipv4", "IPV4", cancellationToken),
            await CreateSetAsync(account, $"{name}-ipv6", "IPV6", cancellationToken));
    }

    /// <summary>Template parameters naming the sets.</summary>
    public IReadOnlyDictionary<string, string> Parameters => new Dictionary<string, string>
    {
        ["ExistingIpv4IpSetArn"] = Ipv4SetArn, ["ExistingIpv6IpSetArn"] = Ipv6SetArn,
    };

    /// <summary>The override of the functions' table variable (the local runner would name the table by its logical id).</summary>
    public IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string> { ["BLOCKLIST_TABLE"] = Table };

    public async Task<IReadOnlyList<string>> Ipv4AddressesAsync(BenchAccount account, CancellationToken cancellationToken) =>
        (await account.Clients.Wafv2(BenchAccount.Region).GetIpSetAsync(IpSetReference.FromArn(Ipv4SetArn), cancellationToken)).IPSet.Addresses;

    private static async Task<string> CreateSetAsync(BenchAccount account, string name, string version, CancellationToken cancellationToken)
    {
        var waf = account.Clients.Wafv2(BenchAccount.Region);
        var set = await waf.CreateIpSetAsync(name, "REGIONAL", version, cancellationToken);
        return (await waf.GetIpSetAsync(set, cancellationToken)).IPSet.ARN;
    }
}
