using System.Globalization;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.AttackerIpBlocker;

/// <summary>
/// The built AttackerIpBlocker against moto, each test with its own table and IP sets. The samples use documentation
/// addresses, so the tests allow those; "now" is fixed just after the samples' sightings through the test-only clock.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AttackerIpBlockerTests(MotoServer moto)
{
    public static TheoryData<string, string[], string[]> SampleAttackers => new()
    {
        { "ssh-brute-force.json", ["203.0.113.45/32"], [] },
        { "port-probe-several-probers.json", ["192.0.2.77/32", "198.51.100.10/32", "198.51.100.11/32"], [] },
        { "iam-api-call-from-malicious-ip.json", ["203.0.113.99/32"], [] },
        { "ipv6-attacker.json", [], ["2001:db8:85a3::8a2e:370:7334/128"] },
        { "outbound-instance-is-actor.json", [], [] },
        { "sqs-batch.json", ["192.0.2.77/32", "198.51.100.10/32", "198.51.100.11/32", "203.0.113.45/32", "203.0.113.99/32"], ["2001:db8:85a3::8a2e:370:7334/128"] },
    };

    [Theory]
    [MemberData(nameof(SampleAttackers))]
    public async Task Block_EachSample_BlocksExactlyItsAttackers(string sample, string[] ipv4, string[] ipv6)
    {
        var blocklist = await moto.CreateBlocklistAsync();

        var answer = await InvokeAsync(Findings.Sample(sample), blocklist);

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal(ipv4, await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Equal(ipv6, await moto.AddressesAsync(blocklist.Ipv6SetArn));
        Assert.Equal(ipv4.Length + ipv6.Length, answer.Count("AddressesAdded"));
        Assert.Equal(ipv4.Length + ipv6.Length == 0 ? "Exempt" : "Remediated", answer.Status);
        foreach (var cidr in ipv4.Concat(ipv6))
            Assert.Equal(Findings.SampleNow.Date, (await moto.ExpiryAsync(blocklist.Table, cidr)).AddHours(-24).Date);
    }

    [Fact]
    public async Task Block_PrivateLoopbackMappedAndAllowlistedAddresses_AreRefusedWithTheReason()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        string[] refused = ["10.1.2.3", "127.0.0.1", "169.254.169.254", "::ffff:192.168.1.1", "198.51.100.200"];
        var events = refused.Append("198.51.100.202").Select(ip => Findings.SshBruteForce(ip, Findings.SampleNow.AddMinutes(-5)));

        var answer = await InvokeAsync(Findings.SqsBatch(events), blocklist, new() { ["AttackerAllowlistCidrs"] = "192.0.2.0/24,198.51.100.200/31" });

        Assert.True(answer.Answered && answer.Status == "Remediated", answer.Body.ToString());
        Assert.Equal(["198.51.100.202/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Empty(await moto.AddressesAsync(blocklist.Ipv6SetArn));
        Assert.Equal(refused.Length, answer.Count("AddressesRefused"));
        var reasons = answer.Resources.Where(r => r.GetProperty("status").GetString() == "Exempt")
            .ToDictionary(r => r.GetProperty("resourceId").GetString()!, r => r.GetProperty("reason").GetString()!);
        Assert.Contains("private (10.0.0.0/8)", reasons["10.1.2.3"], StringComparison.Ordinal);
        Assert.Contains("loopback", reasons["127.0.0.1"], StringComparison.Ordinal);
        Assert.Contains("link-local", reasons["169.254.169.254"], StringComparison.Ordinal);
        Assert.Contains("private (192.168.0.0/16)", reasons["::ffff:192.168.1.1"], StringComparison.Ordinal);
        Assert.Contains("allowlisted (198.51.100.200/31)", reasons["198.51.100.200"], StringComparison.Ordinal);
        Assert.Null(await moto.RecordAsync(blocklist.Table, "10.1.2.3/32"));
    }

    [Fact]
    public async Task Block_ABatchOf200Findings_CostsOneGetAndOneUpdatePerSet()
    {
        var blocklist = await moto.CreateBlocklistAsync(cloudFront: true);
        var attackers = Enumerable.Range(0, 200).Select(i => $"{(i < 100 ? "198.51.100" : "203.0.113")}.{i % 100 + 1}").ToList();
        var events = attackers.Select(ip => Findings.SshBruteForce(ip, Findings.SampleNow.AddMinutes(-5)))
            .Append(Findings.Sample("ipv6-attacker.json"));
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(Findings.SqsBatch(events), blocklist);

        var operations = await recording.StopAsync();
        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal(4, operations.Count(op => op == "GetIPSet"));
        Assert.Equal(4, operations.Count(op => op == "UpdateIPSet"));
        Assert.Equal(4, answer.Count("IpSetWrites"));
        var expected = attackers.Select(ip => $"{ip}/32").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Equal(expected, await moto.AddressesAsync(blocklist.CloudFrontIpv4SetArn!));
        Assert.Equal(["2001:db8:85a3::8a2e:370:7334/128"], await moto.AddressesAsync(blocklist.CloudFrontIpv6SetArn!));
        Assert.Equal(201, answer.Count("AddressesAdded"));
    }

    [Fact]
    public async Task Block_TenConcurrentInvocationsWithDistinctAttackers_LoseNone()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        await InvokeAsync(Findings.SshBruteForce("192.0.2.1", Findings.SampleNow), blocklist); // builds once before the burst
        var batches = Enumerable.Range(0, 10)
            .Select(b => Enumerable.Range(0, 5).Select(i => $"198.51.100.{b * 10 + i + 1}").ToList()).ToList();

        var answers = await Task.WhenAll(batches.Select(batch =>
            InvokeAsync(Findings.SqsBatch(batch.Select(ip => Findings.SshBruteForce(ip, Findings.SampleNow))), blocklist)));

        Assert.All(answers, a => Assert.True(a.Answered && a.Status == "Remediated", a.Logs));
        var expected = batches.SelectMany(b => b).Append("192.0.2.1").Select(ip => $"{ip}/32").Order(StringComparer.Ordinal);
        Assert.Equal(expected, await moto.AddressesAsync(blocklist.Ipv4SetArn));
    }

    [Fact]
    public async Task Block_WhenTheAttackerIsSeenAgain_ExtendsItsExpiryAndKeepsTheFirstSighting()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var first = Findings.SampleNow.AddHours(-20);
        var again = Findings.SampleNow.AddMinutes(-1);
        await InvokeAsync(Findings.SshBruteForce("203.0.113.7", first, findingId: "finding-first"), blocklist);
        var expiryBefore = await moto.ExpiryAsync(blocklist.Table, "203.0.113.7/32");

        var answer = await InvokeAsync(Findings.SshBruteForce("203.0.113.7", again, findingId: "finding-again"), blocklist);

        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Equal(1, answer.Count("AddressesAlreadyPresent"));
        Assert.Equal(first.AddHours(24), expiryBefore);
        Assert.Equal(again.AddHours(24), await moto.ExpiryAsync(blocklist.Table, "203.0.113.7/32"));
        var record = (await moto.RecordAsync(blocklist.Table, "203.0.113.7/32"))!;
        Assert.Equal(first, DateTimeOffset.Parse(record["firstSeen"].S, CultureInfo.InvariantCulture));
        Assert.Equal(["finding-again", "finding-first"], record["findingIds"].SS.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Block_WhenARedeliveredOlderFindingArrives_DoesNotShortenTheBlock()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        await InvokeAsync(Findings.SshBruteForce("203.0.113.8", Findings.SampleNow.AddMinutes(-1)), blocklist);

        await InvokeAsync(Findings.SshBruteForce("203.0.113.8", Findings.SampleNow.AddHours(-3)), blocklist);

        Assert.Equal(Findings.SampleNow.AddMinutes(-1).AddHours(24), await moto.ExpiryAsync(blocklist.Table, "203.0.113.8/32"));
    }

    [Fact]
    public async Task Block_InDryRun_MakesNoMutatingCallAndReportsThePlan()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var (subnet, _) = await moto.CreateSubnetWithAclAsync("10.60.0.0/16", "10.60.1.0/24");
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(Findings.SshBruteForce("203.0.113.9", Findings.SampleNow, subnet), blocklist,
            new() { ["Mode"] = "dry-run", ["AttackerNaclDeny"] = "true" });

        var operations = await recording.StopAsync();
        Assert.Equal("DryRun", answer.Status);
        Assert.Equal(1, answer.Count("AddressesPlanned"));
        Assert.DoesNotContain(operations, op => op is "UpdateIPSet" or "UpdateItem" or "PutItem" or "DeleteItem" or "CreateNetworkAclEntry" or "ReplaceNetworkAclEntry");
        Assert.Contains("GetIPSet", operations);
        Assert.Empty(await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Null(await moto.RecordAsync(blocklist.Table, "203.0.113.9/32"));
    }

    [Fact]
    public async Task Block_WhenTheSetWouldPassTenThousandAddresses_EvictsOurEntriesThatExpireSoonest()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var full = Enumerable.Range(0, 10_000).Select(i => $"11.0.{i / 256}.{i % 256}/32").ToList();
        var notOurs = full[0];
        // Recorded and expiring soonest, but found in the set by the blocker, never added: someone else's entry all the same.
        var foundThere = full[1];
        await moto.SeedRecordsAsync(blocklist.Table, [.. full.Skip(1).Select((cidr, i) => (cidr, Findings.SampleNow.AddHours(1).AddMinutes(i)))], blocklist.Ipv4SetArn);
        await moto.SeedRecordsAsync(blocklist.Table, [(foundThere, Findings.SampleNow.AddMinutes(30))]);
        await moto.ReplaceAddressesAsync(blocklist.Ipv4SetArn, full);
        List<string> attackers = ["203.0.113.80", "203.0.113.81"];

        var answer = await InvokeAsync(Findings.SqsBatch(attackers.Select(ip => Findings.SshBruteForce(ip, Findings.SampleNow))), blocklist);

        var addresses = await moto.AddressesAsync(blocklist.Ipv4SetArn);
        Assert.Equal(2, answer.Count("AddressesEvicted"));
        Assert.Equal(10_000, addresses.Count);
        Assert.Contains("203.0.113.80/32", addresses);
        Assert.Contains(notOurs, addresses);
        Assert.Contains(foundThere, addresses);
        Assert.DoesNotContain(full[2], addresses);
        Assert.DoesNotContain(full[3], addresses);
        Assert.Contains(full[4], addresses);
        Assert.DoesNotContain(blocklist.Ipv4SetArn, (await moto.RecordAsync(blocklist.Table, full[2]))!.GetValueOrDefault("addedTo")?.SS ?? []);
    }

    [Fact]
    public async Task Block_WithNaclDeny_StaysInTheRangeAndReplacesOurOldestEntryWhenFull()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var (subnet, acl) = await moto.CreateSubnetWithAclAsync("10.61.0.0/16", "10.61.1.0/24");
        await moto.AddInboundEntryAsync(acl, 4, "10.0.0.0/8", "allow");
        await moto.AddInboundEntryAsync(acl, 6, "192.0.2.66/32", "deny");
        var outsideBefore = Describe(await moto.InboundEntriesAsync(acl)).Where(e => !e.StartsWith('3') && !e.StartsWith('5')).ToList();
        var range = new Dictionary<string, string> { ["AttackerNaclDeny"] = "true", ["AttackerNaclRuleNumberFirst"] = "3", ["AttackerNaclRuleNumberLast"] = "5" };
        List<string> firstTwo = ["203.0.113.31", "203.0.113.32"];
        await InvokeAsync(Findings.SqsBatch(firstTwo.Select(ip => Findings.SshBruteForce(ip, Findings.SampleNow, subnet))), blocklist, range);

        var answer = await InvokeAsync(Findings.SshBruteForce("203.0.113.33", Findings.SampleNow, subnet), blocklist, range);

        var entries = Describe(await moto.InboundEntriesAsync(acl));
        Assert.Contains("3 deny 203.0.113.33/32", entries);
        Assert.Contains("5 deny 203.0.113.32/32", entries);
        Assert.Equal(outsideBefore, entries.Where(e => !e.StartsWith('3') && !e.StartsWith('5')));
        var change = Assert.Single(answer.Resources.Single(r => r.GetProperty("resourceId").GetString() == "203.0.113.33/32")
            .GetProperty("changes").EnumerateArray(), c => c.GetProperty("action").GetString() == "ReplaceNaclDenyEntry");
        Assert.Equal("deny 203.0.113.31/32", change.GetProperty("undo").GetProperty("previously").GetString());
        Assert.Equal(["203.0.113.31/32", "203.0.113.32/32", "203.0.113.33/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
    }

    [Fact]
    public async Task Block_WithNaclDeny_ConcurrentRunsForOneAttackerAddOneEntry()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var (subnet, acl) = await moto.CreateSubnetWithAclAsync("10.62.0.0/16", "10.62.1.0/24");
        var nacl = new Dictionary<string, string> { ["AttackerNaclDeny"] = "true" };
        await InvokeAsync(Findings.SshBruteForce("192.0.2.2", Findings.SampleNow, subnet), blocklist, nacl);

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            InvokeAsync(Findings.SshBruteForce("203.0.113.40", Findings.SampleNow, subnet), blocklist, nacl)));

        Assert.All(answers, a => Assert.True(a.Answered, a.Logs));
        var entries = Describe(await moto.InboundEntriesAsync(acl));
        Assert.Single(entries, e => e.EndsWith(" deny 203.0.113.40/32", StringComparison.Ordinal));
        Assert.Equal(1, answers.Sum(a => a.Count("NaclEntriesAdded")));
    }

    private Task<FunctionAnswer> InvokeAsync(
        string eventJson, TestBlocklist blocklist, Dictionary<string, string>? parameters = null, DateTimeOffset? now = null) =>
        moto.InvokeBlockerAsync(eventJson, blocklist, parameters, now);

    private static List<string> Describe(IEnumerable<Amazon.EC2.Model.NetworkAclEntry> entries) =>
        [.. entries.Select(e => $"{e.RuleNumber} {e.RuleAction.Value} {e.CidrBlock ?? e.Ipv6CidrBlock}")];
}
