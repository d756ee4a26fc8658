using System.Text;
using BlocklistPruner;
using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.BlocklistPruner;

/// <summary>
/// A blocker re-sighting an expired address at the worst moment for the pruner, made for real in moto: after the pruner's
/// last read of the record and before its removal reaches the set. The blocker records the sighting and finds the address
/// still in the set, so it writes nothing; the address must end up blocked all the same.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class PruneRaceTests(MotoServer moto)
{
    private const string Attacker = "203.0.113.80/32";

    [Fact]
    public async Task Prune_WhenTheAddressIsReSightedJustBeforeItsRemovalLands_PutsItBackAndKeepsTheRecord()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var table = new BlocklistTable(moto.DynamoDb(), blocklist.Table);
        var now = DateTimeOffset.UtcNow;
        await table.RecordSightingAsync(new Sighting(Attacker, now.AddDays(-2), now.AddDays(-1), ["old-finding"]), CancellationToken.None);
        await table.RecordAdditionsAsync(blocklist.Ipv4SetArn, [Attacker], CancellationToken.None);
        await moto.ReplaceAddressesAsync(blocklist.Ipv4SetArn, [Attacker]);
        var resighting = new Sighting(Attacker, now, now.AddDays(1), ["new-finding"]);
        var client = new BeforeFirstUpdate(moto.Clients.Wafv2(MotoServer.Region), () => table.RecordSightingAsync(resighting, CancellationToken.None));

        var outcome = await Pruner(blocklist, table, client).RunAsync(
            Encoding.UTF8.GetBytes(LocalInvoke.SampleEvent(Path.Combine("blocklist-pruner", "scheduled-prune.json"))),
            new InvocationContext("request-1", now.AddMinutes(1), null, null), CancellationToken.None);

        Assert.True(client.Ran);
        Assert.Equal([Attacker], await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.NotNull(await moto.RecordAsync(blocklist.Table, Attacker));
        Assert.Equal(1, outcome.Counts["AddressesResighted"]);
        Assert.Equal(0, outcome.Counts["AddressesUnblocked"]);
        var result = Assert.Single(outcome.Resources);
        Assert.Equal([Pruning.RemoveAction, Pruning.RestoreAction], result.Changes.Select(c => c.Action));
    }

    private Function Pruner(TestBlocklist blocklist, BlocklistTable table, IIpSetClient client)
    {
        var settings = new BlocklistPrunerSettings
        {
            Mode = RemediationMode.Enforce,
            Blocklist = new BlocklistSettings(blocklist.Table, [new IpSetTarget(blocklist.Ipv4SetArn, false), new IpSetTarget(blocklist.Ipv6SetArn, true)], new NaclRuleRange(1, 10)),
        };
        var writer = new IpSetWriter(_ => client, table, TimeProvider.System, IpSetWriter.DefaultBackoff);
        var nacls = new NaclDenyRules(moto.Ec2(), table, settings.Blocklist.NaclRules, TimeProvider.System, NaclDenyRules.DefaultLeaseBackoff);
        return new Function(settings, new PrunerGateway(table, writer, _ => nacls), TimeProvider.System);
    }
}
