using Remediators.Core.Blocklist;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Blocklist;

/// <summary>Deny entries in a real moto ACL under a lease that runs out: a clock that jumps ahead on every read.</summary>
[Collection(MotoCollection.Name)]
public sealed class NaclLeaseTests(MotoServer moto)
{
    [Fact]
    public async Task Deny_WhenTheLeaseIsAboutToRunOut_StopsChangingTheAclAndKeepsWhatItMadeAsOurs()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var (_, acl) = await moto.CreateSubnetWithAclAsync("10.61.0.0/16", "10.61.1.0/24");
        var table = new BlocklistTable(moto.DynamoDb(), blocklist.Table);
        // Taking the lease reads the clock, then each change does: 25 s, then 50 s into a 60 s lease.
        var clock = new JumpingClock(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(25));
        var nacls = new NaclDenyRules(moto.Ec2(), table, new NaclRuleRange(1, 10), clock, NaclDenyRules.DefaultLeaseBackoff);

        var failure = await Assert.ThrowsAsync<NaclChangeFailedException>(() => nacls.DenyAsync(acl, ["203.0.113.91/32", "203.0.113.92/32"], dryRun: false, CancellationToken.None));

        Assert.IsType<TimeoutException>(failure.InnerException);
        Assert.Equal(["203.0.113.91/32"], failure.Done.Steps.OfType<NaclStep.Create>().Select(s => s.Cidr));

        var denied = (await moto.InboundEntriesAsync(acl)).Where(e => e.RuleAction == "deny" && e.RuleNumber <= 10).Select(e => e.CidrBlock).ToList();
        Assert.Equal(["203.0.113.91/32"], denied);
        Assert.Equal(["203.0.113.91/32"], (await table.ReadNaclRulesAsync(new AclLocation(acl), CancellationToken.None)).Select(r => r.Cidr));
    }

    private sealed class JumpingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private int _reads;

        public override DateTimeOffset GetUtcNow() => start + step * Interlocked.Increment(ref _reads) - step;
    }
}
