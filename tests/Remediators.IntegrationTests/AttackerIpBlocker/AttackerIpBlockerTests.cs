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
    private const string Function = "AttackerIpBlocker";

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

    private Task<FunctionAnswer> InvokeAsync(
        string eventJson, TestBlocklist blocklist, Dictionary<string, string>? parameters = null, DateTimeOffset? now = null)
    {
        var all = blocklist.Parameters();
        all["Mode"] = "enforce";
        all["AttackerRefuseDocumentationRanges"] = "false";
        foreach (var (name, value) in parameters ?? [])
            all[name] = value;
        var environment = new Dictionary<string, string> { [TestClock.Variable] = (now ?? Findings.SampleNow).ToString("O", CultureInfo.InvariantCulture) };
        return moto.InvokeAsync(Function, eventJson, all, environment: environment, environmentOverrides: blocklist.Variables());
    }
}
