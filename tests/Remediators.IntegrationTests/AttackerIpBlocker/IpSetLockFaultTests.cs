using AttackerIpBlocker;
using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.AttackerIpBlocker;

/// <summary>
/// A write racing ours between GetIPSet and UpdateIPSet, made for real in moto at the worst moment, so moto's own
/// WAFOptimisticLockException hits the blocker: it must re-read and lose neither address.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class IpSetLockFaultTests(MotoServer moto)
{
    [Fact]
    public async Task Block_WhenAnotherWriterUpdatesTheSetBeforeUs_RereadsAndKeepsBothAddresses()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var waf = moto.Clients.Wafv2(MotoServer.Region);
        var racing = new BeforeFirstUpdate(waf, () => moto.ReplaceAddressesAsync(blocklist.Ipv4SetArn, ["192.0.2.250/32"]));
        var function = Blocker(blocklist, racing);
        var payload = System.Text.Encoding.UTF8.GetBytes(Findings.SshBruteForce("203.0.113.70", DateTimeOffset.UtcNow));

        var outcome = await function.RunAsync(payload, new InvocationContext("request-1", DateTimeOffset.UtcNow.AddMinutes(1), "arn:aws:lambda:us-east-1:123456789012:function:AttackerIpBlocker", null), CancellationToken.None);

        Assert.Equal(OutcomeStatus.Remediated, outcome.Status);
        Assert.True(racing.Ran);
        // One retry for the rival's write; on a loaded machine the re-read can also miss its write slot, one attempt more.
        Assert.InRange(outcome.Counts["IpSetWriteRetries"], 1, 2);
        Assert.Equal(["192.0.2.250/32", "203.0.113.70/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
    }

    private Function Blocker(TestBlocklist blocklist, IIpSetClient client)
    {
        var settings = new AttackerIpBlockerSettings
        {
            Mode = RemediationMode.Enforce,
            MinFindingSeverity = 2,
            Addresses = new AddressRules([], RefuseDocumentationRanges: false),
            Blocklist = new BlocklistSettings(blocklist.Table, [new IpSetTarget(blocklist.Ipv4SetArn, false), new IpSetTarget(blocklist.Ipv6SetArn, true)], new NaclRuleRange(1, 10)),
        };
        var table = new BlocklistTable(moto.DynamoDb(), blocklist.Table);
        var writer = new IpSetWriter(_ => client, table, TimeProvider.System, IpSetWriter.DefaultBackoff);
        var nacls = new NaclDenyRules(moto.Ec2(), table, settings.Blocklist.NaclRules, TimeProvider.System, NaclDenyRules.DefaultLeaseBackoff);
        var gateway = new BlocklistGateway(table, writer, nacls, new OwnAddressLookup(moto.Ec2(), TimeProvider.System));
        return new Function(settings, _ => gateway, TimeProvider.System);
    }
}
