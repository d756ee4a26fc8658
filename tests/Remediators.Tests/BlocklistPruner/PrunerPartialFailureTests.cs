using System.Text;
using BlocklistPruner;
using Remediators.Core.Blocklist;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace Remediators.Tests.BlocklistPruner;

/// <summary>
/// A set or record that fails fails only its addresses; a record goes only when every step for its address succeeded (else
/// nothing would ever take the address out); a dry run makes no mutating call.
/// </summary>
public sealed class PrunerPartialFailureTests
{
    private const string Ipv4Set = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/attackers-v4/a1";
    private const string Ipv6Set = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/attackers-v6/b2";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 35, 0, TimeSpan.Zero);
    private static readonly byte[] Schedule = File.ReadAllBytes(Path.Combine(RepoPaths.Events, "blocklist-pruner", "scheduled-prune.json"));
    private static readonly InvocationContext Context = new("request-1", Now.AddMinutes(1), "arn:aws:lambda:us-east-1:123456789012:function:BlocklistPruner", null);

    private static Task<Outcome> RunAsync(Gateway gateway, RemediationMode mode = RemediationMode.Enforce, bool naclDeny = true) =>
        new Function(new BlocklistPrunerSettings
        {
            Mode = mode,
            NaclDeny = naclDeny,
            Blocklist = new BlocklistSettings("table", [new IpSetTarget(Ipv4Set, false), new IpSetTarget(Ipv6Set, true)], new NaclRuleRange(1, 10)),
        }, gateway, new TestClock.FixedNow(Now)).RunAsync(Schedule, Context, CancellationToken.None);

    private static Gateway Expired() => new()
    {
        Records =
        {
            ["198.51.100.1/32"] = new("198.51.100.1/32", Now.AddDays(-2), Now.AddDays(-2), Now.AddHours(-1), ["f1"]) { AddedTo = [Ipv4Set] },
            ["2606:4700::1/128"] = new("2606:4700::1/128", Now.AddDays(-2), Now.AddDays(-2), Now.AddHours(-1), ["f2"]) { AddedTo = [Ipv6Set] },
        },
        Sets = { [Ipv4Set] = ["198.51.100.1/32", "192.0.2.9/32"], [Ipv6Set] = ["2606:4700::1/128"] },
    };

    [Fact]
    public async Task Prune_WhenOneSetsWriteFails_KeepsThatAddressesRecordAndUnblocksTheOther()
    {
        var gateway = Expired();
        gateway.Failing.Add($"WriteIpSet {Ipv4Set}");

        var outcome = await RunAsync(gateway);

        var failed = outcome.Resources.Single(r => r.ResourceId == "198.51.100.1/32");
        Assert.Equal((OutcomeStatus.Failed, nameof(InvalidOperationException)), (failed.Status, failed.Error));
        Assert.Contains($"removing it from {Ipv4Set}", failed.Reason, StringComparison.Ordinal);
        Assert.True(gateway.Records.ContainsKey("198.51.100.1/32"));
        Assert.Equal(OutcomeStatus.Remediated, outcome.Resources.Single(r => r.ResourceId == "2606:4700::1/128").Status);
        Assert.False(gateway.Records.ContainsKey("2606:4700::1/128"));
        Assert.Empty(gateway.Sets[Ipv6Set]);
    }

    [Fact]
    public async Task Prune_WhenARecordCannotBeDeleted_ReportsTheRemovalItMadeWithItsUndo()
    {
        var gateway = Expired();
        gateway.Failing.Add("DeleteIfExpired 198.51.100.1/32");

        var outcome = await RunAsync(gateway);

        var failed = outcome.Resources.Single(r => r.ResourceId == "198.51.100.1/32");
        Assert.Equal(OutcomeStatus.Failed, failed.Status);
        Assert.Equal([Pruning.RemoveAction], failed.Changes.Select(c => c.Action));
        Assert.Equal(["192.0.2.9/32"], gateway.Sets[Ipv4Set]);
    }

    [Fact]
    public async Task Prune_InDryRun_MakesNoMutatingCall()
    {
        var gateway = Expired();

        var outcome = await RunAsync(gateway, RemediationMode.DryRun);

        Assert.Equal(OutcomeStatus.DryRun, outcome.Status);
        Assert.All(gateway.Calls.Where(c => c.StartsWith("WriteIpSet", StringComparison.Ordinal)), call => Assert.EndsWith("(dry run)", call, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Calls, c => c.StartsWith("DeleteIfExpired", StringComparison.Ordinal));
        Assert.Equal(2, gateway.Records.Count);
        Assert.Equal(["198.51.100.1/32", "192.0.2.9/32"], gateway.Sets[Ipv4Set]);
    }

    [Fact]
    public async Task Prune_WithNaclDenyOff_NeverTouchesAnAclAndSaysWhichEntriesAPersonMustDelete()
    {
        var gateway = Expired();
        gateway.NaclRules.Add(new OwnedNaclRule("acl-1", 3, "198.51.100.1/32", Now.AddDays(-2)));

        var outcome = await RunAsync(gateway, naclDeny: false);

        Assert.DoesNotContain(gateway.Calls, c => c.StartsWith("RemoveFromAcl", StringComparison.Ordinal));
        Assert.Contains(outcome.Resources, r => r.ResourceId == "198.51.100.1/32" && r.Status == OutcomeStatus.Exempt
            && r.Reason.Contains("stays in acl-1: AttackerNaclDeny is off", StringComparison.Ordinal));
        Assert.Equal(["192.0.2.9/32"], gateway.Sets[Ipv4Set]);
    }

    [Fact]
    public async Task Prune_AnEntryInAnAccountNoLongerATarget_IsLeftForAPerson_WithoutReachingThatAccount()
    {
        var gateway = Expired();
        gateway.NaclRules.Add(new OwnedNaclRule("acl-1", 3, "198.51.100.1/32", Now.AddDays(-2)) { Elsewhere = new Target("210987654321", "us-east-1") });

        var outcome = await RunAsync(gateway);

        Assert.DoesNotContain(gateway.Calls, c => c.StartsWith("RemoveFromAcl", StringComparison.Ordinal));
        var kept = Assert.Single(outcome.Resources, r => r.Status == OutcomeStatus.Exempt);
        Assert.Equal("198.51.100.1/32", kept.ResourceId);
        Assert.StartsWith("its deny entry stays in acl-1 (account 210987654321, region us-east-1): its network ACL names account 210987654321", kept.Reason, StringComparison.Ordinal);
        Assert.Contains("delete it by hand (aws ec2 delete-network-acl-entry --network-acl-id acl-1 ", kept.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_WithNaclDenyOn_RemovesOurExpiredEntry()
    {
        var gateway = Expired();
        gateway.NaclRules.Add(new OwnedNaclRule("acl-1", 3, "198.51.100.1/32", Now.AddDays(-2)));

        await RunAsync(gateway);

        Assert.Contains("RemoveFromAcl acl-1", gateway.Calls);
    }

    /// <summary>The pruner's gateway in memory, with failures on cue; it logs every call with whether it was a dry run.</summary>
    private sealed class Gateway : IPrunerGateway
    {
        public Dictionary<string, BlockedAddress> Records { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<string>> Sets { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);
        public List<string> Calls { get; } = [];
        public List<OwnedNaclRule> NaclRules { get; } = [];

        public Task<BlocklistContents> ScanAsync(CancellationToken cancellationToken) => Task.FromResult(new BlocklistContents([.. Records.Values], NaclRules));

        public Task<IReadOnlyDictionary<string, BlockedAddress>> GetAddressesAsync(IReadOnlyCollection<string> cidrs, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, BlockedAddress>>(cidrs.Where(Records.ContainsKey).ToDictionary(c => c, c => Records[c]));

        public async Task<IpSetWriteResult> WriteIpSetAsync(
            IpSetTarget set, Func<IReadOnlyList<string>, CancellationToken, Task<IpSetEdit>> edit, bool dryRun, CancellationToken cancellationToken)
        {
            Log($"WriteIpSet {set.Arn}", dryRun);
            var change = await edit(Sets.GetValueOrDefault(set.Arn) ?? [], cancellationToken);
            if (!dryRun && change.ChangesSet)
                Sets[set.Arn] = [.. change.Addresses];
            return new IpSetWriteResult(set, change, !dryRun && change.ChangesSet, 1);
        }

        public Task<NaclChangeResult> RemoveFromAclAsync(AclLocation acl, IReadOnlySet<string> cidrs, bool dryRun, CancellationToken cancellationToken)
        {
            Log($"RemoveFromAcl {acl}", dryRun);
            return Task.FromResult(new NaclChangeResult(acl.NetworkAclId, []) { Elsewhere = acl.Elsewhere });
        }

        public Task<bool> DeleteIfExpiredAsync(string cidr, DateTimeOffset now, CancellationToken cancellationToken)
        {
            Log($"DeleteIfExpired {cidr}");
            lock (Records)
                return Task.FromResult(Records.Remove(cidr));
        }

        private void Log(string call, bool dryRun = false)
        {
            lock (Calls)
                Calls.Add(dryRun ? $"{call} (dry run)" : call);
            if (Failing.Contains(call))
                throw new InvalidOperationException($"injected failure of {call}");
        }
    }
}
