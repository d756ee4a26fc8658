using BlocklistPruner;
using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;

namespace Remediators.Tests.BlocklistPruner;

/// <summary>Each change the pruner reports tells the person on call how to put it back.</summary>
public sealed class PruningTests
{
    private const string SetArn = "arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/attackers/a1b2";
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoneKept = new Dictionary<string, IReadOnlyList<string>>();
    private const string UpdateIpSet = "aws wafv2 get-ip-set, then update-ip-set with the changed address list and the lock token it returned";
    private const string Cidr = "203.0.113.7/32";
    private static readonly DateTimeOffset Seen = DateTimeOffset.Parse("2025-03-01T10:00:00Z");
    private static readonly BlockedAddress Expired = new(Cidr, Seen.AddHours(-5), Seen, Seen.AddHours(24), ["f1", "f2"]);
    private static readonly PrunePlan Plan = new([Expired], new Dictionary<AclLocation, IReadOnlySet<string>>());

    private static IpSetWriteResult Write(IReadOnlyList<string> added, IReadOnlyList<string> removed) =>
        new(new IpSetTarget(SetArn, false), new IpSetEdit([.. added], added, [], [], [], removed), Written: true, Attempts: 1);

    private static List<Change> Changes(PruneReport report) => [.. Pruning.Results(Plan, report, dryRun: false).SelectMany(r => r.Changes)];

    [Fact]
    public void Changes_WhenAnAddressIsRemovedFromAnIpSet_TellHowToAddItBack()
    {
        var change = Assert.Single(Changes(new PruneReport([Write([], [Cidr])], [], [], NoneKept)));

        Assert.Equal($"Add 203.0.113.7/32 back to the WAF IP set {SetArn} ({UpdateIpSet}).", change.HowToUndo);
    }

    [Fact]
    public void Changes_WhenAReSightedAddressIsPutBack_TellHowToRemoveItAgain()
    {
        var changes = Changes(new PruneReport([Write([], [Cidr]), Write([Cidr], [])], [], [], NoneKept));

        Assert.Equal(
            $"Remove 203.0.113.7/32 from the WAF IP set {SetArn} ({UpdateIpSet}); a new finding named it, and the pruner removes it by itself when that block expires.",
            changes.Single(c => c.Action == Pruning.RestoreAction).HowToUndo);
    }

    [Fact]
    public void Changes_WhenANaclDenyEntryIsDeleted_TellHowToCreateItAgain()
    {
        var acl = new NaclChangeResult("acl-0abc", [new NaclStep.Delete(Cidr, new OwnedNaclRule("acl-0abc", 100, Cidr, Seen))]);

        var change = Assert.Single(Changes(new PruneReport([], [acl], [], NoneKept)));

        Assert.Equal(
            "Create the deny entry again: aws ec2 create-network-acl-entry --network-acl-id acl-0abc --rule-number 100 --ingress " +
            "--protocol -1 --rule-action deny --cidr-block 203.0.113.7/32",
            change.HowToUndo);
    }

    [Fact]
    public void Changes_WhenARecordIsDeleted_SayWhatItWas()
    {
        var change = Assert.Single(Changes(new PruneReport([], [], [Cidr], NoneKept)));

        Assert.Equal(
            "Nothing to restore: it was the blocklist record of 203.0.113.7/32 (first seen 2025-03-01T05:00:00Z, last seen 2025-03-01T10:00:00Z, " +
            "expired 2025-03-02T10:00:00Z, findings f1, f2), and a new finding naming the address records it again.",
            change.HowToUndo);
    }
}
