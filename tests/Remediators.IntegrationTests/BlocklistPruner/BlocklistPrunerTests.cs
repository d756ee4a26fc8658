using System.Globalization;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.BlocklistPruner;

/// <summary>
/// The built BlocklistPruner against moto, on blocklists the built AttackerIpBlocker filled. Expiry is reached by giving the
/// pruner a later "now" through the test-only clock, never by sleeping.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class BlocklistPrunerTests(MotoServer moto)
{
    private static readonly string Prune = LocalInvoke.SampleEvent(Path.Combine("blocklist-pruner", "scheduled-prune.json"));

    [Fact]
    public async Task Prune_WhenEveryBlockExpired_EmptiesTheSetsAndDeletesTheRecords()
    {
        var blocklist = await moto.CreateBlocklistAsync(cloudFront: true);
        await BlockAsync(blocklist, Findings.Sample("sqs-batch.json"), Findings.SampleNow);

        var answer = await PruneAsync(blocklist, Findings.SampleNow.AddHours(25));

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(6, answer.Count("AddressesUnblocked"));
        Assert.Equal(4, answer.Count("IpSetWrites"));
        Assert.Empty(await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Empty(await moto.AddressesAsync(blocklist.Ipv6SetArn));
        Assert.Empty(await moto.AddressesAsync(blocklist.CloudFrontIpv4SetArn!));
        Assert.Empty(await moto.AddressesAsync(blocklist.CloudFrontIpv6SetArn!));
        Assert.Null(await moto.RecordAsync(blocklist.Table, "203.0.113.45/32"));
        Assert.Null(await moto.RecordAsync(blocklist.Table, "2001:db8:85a3::8a2e:370:7334/128"));
    }

    [Fact]
    public async Task Prune_RemovesOnlyExpiredBlocks_AndNeverAddressesItDidNotAdd()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var manual = "192.0.2.10/32";
        await AddToSetAsync(blocklist.Ipv4SetArn, manual);
        var now = Findings.SampleNow;
        await BlockAsync(blocklist, Findings.SshBruteForce("203.0.113.50", now.AddHours(-20)), now);
        await BlockAsync(blocklist, Findings.SshBruteForce("203.0.113.51", now.AddHours(-1)), now);

        var answer = await PruneAsync(blocklist, now.AddHours(5));

        Assert.Equal([manual, "203.0.113.51/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Null(await moto.RecordAsync(blocklist.Table, "203.0.113.50/32"));
        Assert.NotNull(await moto.RecordAsync(blocklist.Table, "203.0.113.51/32"));
        var result = Assert.Single(answer.Resources);
        Assert.Equal("203.0.113.50/32", result.GetProperty("resourceId").GetString());
        Assert.Equal(["RemoveFromIpSet", "DeleteBlocklistRecord"], result.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Prune_AnAddressAlreadyInTheSharedSetWhenAFindingNamedIt_StaysThereAfterItsBlockExpires()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var persons = "203.0.113.54/32";
        await AddToSetAsync(blocklist.Ipv4SetArn, persons);
        var blocked = await BlockAsync(blocklist, Findings.SqsBatch([Findings.SshBruteForce("203.0.113.54", Findings.SampleNow), Findings.SshBruteForce("203.0.113.55", Findings.SampleNow)]), Findings.SampleNow);

        var answer = await PruneAsync(blocklist, Findings.SampleNow.AddHours(25));

        Assert.Contains("not put there by this suite", blocked.Resources.Single(r => r.GetProperty("resourceId").GetString() == persons).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal([persons], await moto.AddressesAsync(blocklist.Ipv4SetArn));
        var kept = answer.Resources.Single(r => r.GetProperty("resourceId").GetString() == persons);
        Assert.Contains($"left in {blocklist.Ipv4SetArn}: this suite did not put it there", kept.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(kept.GetProperty("changes").EnumerateArray(), c => c.GetProperty("action").GetString() == "RemoveFromIpSet");
        Assert.Equal(1, answer.Resources.Count(r => r.GetProperty("changes").EnumerateArray().Any(c => c.GetProperty("action").GetString() == "RemoveFromIpSet")));
    }

    [Fact]
    public async Task Prune_RemovesOurNaclEntriesOnExpiry_AndLeavesTheOthers()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var (subnet, acl) = await moto.CreateSubnetWithAclAsync("10.63.0.0/16", "10.63.1.0/24");
        await moto.AddInboundEntryAsync(acl, 2, "192.0.2.66/32", "deny");
        var before = Describe(await moto.InboundEntriesAsync(acl));
        await BlockAsync(blocklist, Findings.SshBruteForce("203.0.113.60", Findings.SampleNow, subnet), Findings.SampleNow, new() { ["AttackerNaclDeny"] = "true" });
        Assert.Contains("1 deny 203.0.113.60/32", Describe(await moto.InboundEntriesAsync(acl)));

        var answer = await PruneAsync(blocklist, Findings.SampleNow.AddHours(25), new() { ["AttackerNaclDeny"] = "true" });

        Assert.Equal(1, answer.Count("NaclEntriesRemoved"));
        Assert.Equal(before, Describe(await moto.InboundEntriesAsync(acl)));
        Assert.Null(await moto.RecordAsync(blocklist.Table, "203.0.113.60/32"));
    }

    [Fact]
    public async Task Prune_WhenNothingExpired_ChangesNothing()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        await BlockAsync(blocklist, Findings.SshBruteForce("203.0.113.52", Findings.SampleNow), Findings.SampleNow);

        var answer = await PruneAsync(blocklist, Findings.SampleNow.AddHours(23));

        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Equal(["203.0.113.52/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
    }

    [Fact]
    public async Task Prune_InDryRun_MakesNoMutatingCall()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        await BlockAsync(blocklist, Findings.SshBruteForce("203.0.113.53", Findings.SampleNow), Findings.SampleNow);
        var recording = await moto.StartRecordingAsync();

        var answer = await PruneAsync(blocklist, Findings.SampleNow.AddHours(25), new() { ["Mode"] = "dry-run" });

        var operations = await recording.StopAsync();
        Assert.Equal("DryRun", answer.Status);
        Assert.Equal(1, answer.Count("AddressesPlanned"));
        Assert.DoesNotContain(operations, op => op is "UpdateIPSet" or "UpdateItem" or "DeleteItem" or "DeleteNetworkAclEntry");
        Assert.Equal(["203.0.113.53/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.NotNull(await moto.RecordAsync(blocklist.Table, "203.0.113.53/32"));
    }

    private async Task AddToSetAsync(string setArn, string address)
    {
        var waf = moto.Clients.Wafv2(MotoServer.Region);
        var reference = Remediators.Core.Aws.IpSetReference.FromArn(setArn);
        var current = await waf.GetIpSetAsync(reference, CancellationToken.None);
        await waf.UpdateIpSetAsync(reference, [.. current.IPSet.Addresses, address], current.LockToken, CancellationToken.None);
    }

    private Task<FunctionAnswer> BlockAsync(TestBlocklist blocklist, string eventJson, DateTimeOffset now, Dictionary<string, string>? parameters = null) =>
        InvokeAsync("AttackerIpBlocker", eventJson, blocklist, now, parameters);

    private Task<FunctionAnswer> PruneAsync(TestBlocklist blocklist, DateTimeOffset now, Dictionary<string, string>? parameters = null) =>
        InvokeAsync("BlocklistPruner", Prune, blocklist, now, parameters);

    private async Task<FunctionAnswer> InvokeAsync(string function, string eventJson, TestBlocklist blocklist, DateTimeOffset now, Dictionary<string, string>? parameters)
    {
        var all = blocklist.Parameters();
        all["Mode"] = "enforce";
        all["AttackerRefuseDocumentationRanges"] = "false";
        // GuardDuty rates an inbound SSH brute force Low (2); these tests block Low findings too.
        all["AttackerMinSeverity"] = "2";
        foreach (var (name, value) in parameters ?? [])
            all[name] = value;
        var environment = new Dictionary<string, string> { [TestClock.Variable] = now.ToString("O", CultureInfo.InvariantCulture) };
        var answer = await moto.InvokeAsync(function, eventJson, all, environment: environment, environmentOverrides: blocklist.Variables());
        Assert.True(answer.Answered, answer.Logs);
        return answer;
    }

    private static List<string> Describe(IEnumerable<Amazon.EC2.Model.NetworkAclEntry> entries) =>
        [.. entries.Select(e => $"{e.RuleNumber} {e.RuleAction.Value} {e.CidrBlock ?? e.Ipv6CidrBlock}")];
}
