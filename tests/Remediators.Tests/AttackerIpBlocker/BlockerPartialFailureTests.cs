using System.Text;
using System.Text.Json.Nodes;
using AttackerIpBlocker;
using Remediators.Core.Blocklist;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;

namespace Remediators.Tests.AttackerIpBlocker;

/// <summary>
/// A step that fails for one address, set or ACL fails only what it was for: the rest of the batch is done, and what was done
/// before the error stays in the record with its undo. A dry run makes no mutating call at all.
/// </summary>
public sealed class BlockerPartialFailureTests
{
    private const string Ipv4Set = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/attackers-v4/a1";
    private const string Ipv6Set = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/attackers-v6/b2";
    private static readonly DateTimeOffset Now = FindingGenerators.Now;
    private static readonly InvocationContext Context = new("request-1", Now.AddMinutes(1), "arn:aws:lambda:us-east-1:123456789012:function:AttackerIpBlocker", null);

    private static AttackerIpBlockerSettings Settings(RemediationMode mode = RemediationMode.Enforce) => new()
    {
        Mode = mode,
        NaclDeny = true,
        Addresses = new AddressRules([], RefuseDocumentationRanges: false),
        Blocklist = new BlocklistSettings("table", [new IpSetTarget(Ipv4Set, false), new IpSetTarget(Ipv6Set, true)], new NaclRuleRange(1, 10)),
    };

    private static Task<Outcome> RunAsync(InMemoryBlocklistGateway gateway, AttackerIpBlockerSettings settings, params (string Address, string? Subnet)[] attackers)
    {
        var batch = new JsonObject
        {
            ["Records"] = new JsonArray([.. attackers.Select((a, i) => (JsonNode)new JsonObject
            {
                ["messageId"] = $"m{i}", ["body"] = FindingJson(a.Address, a.Subnet), ["eventSource"] = "aws:sqs",
            })]),
        };
        return new Function(settings, _ => gateway, new TestClock.FixedNow(Now)).RunAsync(Encoding.UTF8.GetBytes(batch.ToJsonString()), Context, CancellationToken.None);
    }

    private static string FindingJson(string address, string? subnet) => new JsonObject
    {
        ["id"] = Guid.NewGuid().ToString(), ["detail-type"] = "GuardDuty Finding", ["source"] = "aws.guardduty", ["account"] = "123456789012", ["region"] = "us-east-1",
        ["detail"] = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N"), ["type"] = "UnauthorizedAccess:EC2/SSHBruteForce", ["severity"] = 5, ["accountId"] = "123456789012", ["region"] = "us-east-1",
            ["resource"] = new JsonObject
            {
                ["instanceDetails"] = new JsonObject { ["networkInterfaces"] = new JsonArray(subnet is null ? [] : [new JsonObject { ["subnetId"] = subnet }]) },
            },
            ["service"] = new JsonObject
            {
                ["resourceRole"] = "TARGET", ["eventLastSeen"] = Iso.Format(Now.AddMinutes(-5)),
                ["action"] = new JsonObject
                {
                    ["networkConnectionAction"] = new JsonObject
                    {
                        ["connectionDirection"] = "INBOUND",
                        ["remoteIpDetails"] = new JsonObject { [address.Contains(':', StringComparison.Ordinal) ? "ipAddressV6" : "ipAddressV4"] = address },
                    },
                },
            },
        },
    }.ToJsonString();

    [Fact]
    public async Task Block_WhenTheNaclStepFailsAfterTheIpSetWrite_KeepsTheIpSetChangeWithItsUndoAndFailsOnlyThatAddress()
    {
        var gateway = new InMemoryBlocklistGateway { AclOfSubnet = { ["subnet-1"] = "acl-1" }, Failing = { "DenyInAcl acl-1" } };

        var outcome = await RunAsync(gateway, Settings(), ("198.51.100.1", "subnet-1"), ("198.51.100.2", null));

        Assert.Equal(OutcomeStatus.Failed, outcome.Status);
        var failed = outcome.Resources.Single(r => r.ResourceId == "198.51.100.1/32");
        Assert.Equal(OutcomeStatus.Failed, failed.Status);
        Assert.Equal(nameof(InvalidOperationException), failed.Error);
        Assert.Contains("denying it in acl-1", failed.Reason, StringComparison.Ordinal);
        var kept = Assert.Single(failed.Changes);
        Assert.Equal((BlockingResults.AddAction, Ipv4Set), (kept.Action, kept.Target));
        Assert.StartsWith("Remove 198.51.100.1/32 from the WAF IP set", kept.HowToUndo, StringComparison.Ordinal);
        Assert.Equal(OutcomeStatus.Remediated, outcome.Resources.Single(r => r.ResourceId == "198.51.100.2/32").Status);
        Assert.Equal(["198.51.100.1/32", "198.51.100.2/32"], gateway.Sets[Ipv4Set]);
    }

    [Fact]
    public async Task Block_WhenOneSetsWriteFails_StillWritesTheOtherSet()
    {
        var gateway = new InMemoryBlocklistGateway { Failing = { $"WriteIpSet {Ipv4Set}" } };

        var outcome = await RunAsync(gateway, Settings(), ("198.51.100.1", null), ("2606:4700::1", null));

        var failed = outcome.Resources.Single(r => r.ResourceId == "198.51.100.1/32");
        Assert.Equal(OutcomeStatus.Failed, failed.Status);
        Assert.Empty(failed.Changes);
        Assert.Equal(OutcomeStatus.Remediated, outcome.Resources.Single(r => r.ResourceId == "2606:4700::1/128").Status);
        Assert.Equal(["2606:4700::1/128"], gateway.Sets[Ipv6Set]);
    }

    [Fact]
    public async Task Block_WhenASightingCannotBeRecorded_NeverPutsThatAddressInASet()
    {
        var gateway = new InMemoryBlocklistGateway { Failing = { "RecordSighting 198.51.100.1/32" } };

        var outcome = await RunAsync(gateway, Settings(), ("198.51.100.1", null), ("198.51.100.2", null));

        Assert.Equal(["198.51.100.2/32"], gateway.Sets[Ipv4Set]);
        Assert.Contains("recording its sighting", outcome.Resources.Single(r => r.ResourceId == "198.51.100.1/32").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block_InDryRun_MakesNoMutatingCall()
    {
        var gateway = new InMemoryBlocklistGateway { AclOfSubnet = { ["subnet-1"] = "acl-1" } };

        var outcome = await RunAsync(gateway, Settings(RemediationMode.DryRun), ("198.51.100.1", "subnet-1"), ("2606:4700::1", null));

        Assert.Equal(OutcomeStatus.DryRun, outcome.Status);
        Assert.Equal(2, outcome.Counts["AddressesPlanned"]);
        Assert.All(gateway.Calls.Where(c => c.StartsWith("WriteIpSet", StringComparison.Ordinal) || c.StartsWith("DenyInAcl", StringComparison.Ordinal)),
            call => Assert.EndsWith("(dry run)", call, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Calls, c => c.StartsWith("RecordSighting", StringComparison.Ordinal) || c.StartsWith("ForgetAdditions", StringComparison.Ordinal));
        Assert.Empty(gateway.Sets);
        Assert.Empty(gateway.Records);
    }
}
