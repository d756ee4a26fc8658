using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediators.Bench.Proxy;
using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Resilience.Scenario;

namespace Remediators.IntegrationTests.Resilience;

/// <summary>
/// A call that reached AWS but whose answer was lost is sent again by the SDK: the replay must find its own work done, not a
/// stranger's. Both cases were found by the fault-injection suite.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class ReplayedCallTests(SeededMoto seeded) : IClassFixture<SeededMoto>
{
    [Fact]
    public async Task NaclLease_WhenTheAnswerToTakingItIsLost_StillBelongsToItsTaker()
    {
        await using var proxy = await seeded.Moto.StartProxyAsync(FaultPlan.None);
        var dynamo = seeded.Moto.ClientsThrough(proxy).Sdk<AmazonDynamoDBClient, AmazonDynamoDBConfig>(ResilienceMoto.Region, (c, config) => new AmazonDynamoDBClient(c, config));
        var table = new BlocklistTable(dynamo, seeded.Account.Table);
        proxy.FailNext("UpdateItem", FaultKind.ResetAfterForwarding);

        var owned = await table.TryLeaseNaclAsync(new AclLocation("acl-0replayedlease01"), "run-1", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.NotNull(owned);
        Assert.Equal([FaultKind.ResetAfterForwarding, null], proxy.TakeCalls().Where(c => c.Operation.Name == "UpdateItem").Select(c => c.Fault));
    }

    [Fact]
    public async Task NaclDeny_WhenTheAnswerToCreatingTheEntryIsLost_RecordsTheEntryAsOurs()
    {
        var account = seeded.Account;
        await using var proxy = await seeded.Moto.StartProxyAsync(FaultPlan.None);
        var blocker = ScenarioFunctions.Create(ScenarioFunctions.Blocker, account, seeded.Moto.ClientsThrough(proxy), RemediationMode.Enforce);
        proxy.FailNext("CreateNetworkAclEntry", FaultKind.ResetAfterForwarding);
        var finding = ScenarioEvents.Finding("203.0.113.201", ScenarioAccount.Now.AddMinutes(-1), account.SubnetId, "replayed-create");

        var outcome = await blocker.RunAsync(System.Text.Encoding.UTF8.GetBytes(finding), ScenarioFunctions.Context("replay"), CancellationToken.None);

        Assert.Equal(OutcomeStatus.Remediated, outcome.Status);
        Assert.Equal(2, proxy.TakeCalls().Count(c => c.Operation.Name == "CreateNetworkAclEntry"));
        var record = await ScenarioSeeding.DynamoDb(seeded.Moto).GetItemAsync(new GetItemRequest
        {
            TableName = account.Table, ConsistentRead = true, Key = new() { ["pk"] = new AttributeValue { S = $"nacl#{account.NetworkAclId}" } },
        });
        Assert.Contains(record.Item["rules"].M.Values, rule => rule.M["cidr"].S == "203.0.113.201/32");
    }
}
