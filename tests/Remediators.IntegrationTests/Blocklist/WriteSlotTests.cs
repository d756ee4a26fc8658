using Amazon.DynamoDBv2;
using Remediators.Bench.Proxy;
using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Blocklist;

/// <summary>Write slots of one IP set, claimed in moto through the counting proxy.</summary>
[Collection(MotoCollection.Name)]
public sealed class WriteSlotTests(MotoServer moto)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ClaimWriteSlot_WhileSlotsAreAhead_TakesTheSlotAnIntervalAfterTheLast()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var table = new BlocklistTable(moto.DynamoDb(), blocklist.Table);

        var slots = new List<DateTimeOffset>();
        for (var i = 0; i < 5; i++)
            slots.Add(await table.ClaimWriteSlotAsync(blocklist.Ipv4SetArn, TimeProvider.System, Interval, CancellationToken.None));

        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.Equal(Interval, pair.Second - pair.First));
    }

    // Found by the concurrency suite: each claim read the slot and then tried to take it, so n claimants at once cost about
    // n² calls (2,200 for 50) and the last ones ran past their Lambda timeout.
    [Fact]
    public async Task ClaimWriteSlot_TwentyClaimantsAtOnce_GetDistinctSlotsAnIntervalApartInTwoCallsEachAtMost()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        await using var proxy = await AwsProxy.StartAsync(moto.Endpoint, FaultPlan.None);
        var dynamo = new AwsClients(moto.Credentials, new HttpClient(), RetryBackoff.Default, proxy.Endpoint)
            .Sdk<AmazonDynamoDBClient, AmazonDynamoDBConfig>(MotoServer.Region, (c, config) => new AmazonDynamoDBClient(c, config));

        var slots = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            new BlocklistTable(dynamo, blocklist.Table).ClaimWriteSlotAsync(blocklist.Ipv4SetArn, TimeProvider.System, Interval, CancellationToken.None)));

        var ordered = slots.Order().ToList();
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Interval, $"{pair.First:O} then {pair.Second:O}"));
        Assert.InRange(proxy.TakeCalls().Count, 20, 40);
    }
}
