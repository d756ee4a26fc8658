using AttackerIpBlocker;
using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace Remediators.Tests.AttackerIpBlocker;

/// <summary>Each change the blocker reports tells the person on call how to put it back.</summary>
public sealed class BlockingResultsTests
{
    private const string SetArn = "arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/attackers/a1b2";
    private const string UpdateIpSet = "aws wafv2 get-ip-set, then update-ip-set with the changed address list and the lock token it returned";
    private static readonly DateTimeOffset Seen = DateTimeOffset.Parse("2025-03-01T10:00:00Z");

    private static BatchSighting Sighting(string cidr) =>
        new(cidr, cidr.Contains(':', StringComparison.Ordinal), Seen, Seen.AddHours(24), ["f1"], ["Recon:EC2/PortProbeUnprotectedPort"], [new SubnetIn(new Target("123456789012", "eu-west-1"), "subnet-1")]);

    private static IpSetWriteResult Write(IReadOnlyList<string> added, IReadOnlyList<string> evicted) =>
        new(new IpSetTarget(SetArn, false), new IpSetEdit([.. added], added, [], evicted, [], []), Written: true, Attempts: 1);

    private static BlockingReport Report(IReadOnlyList<BatchSighting> sightings, IReadOnlyList<IpSetWriteResult> writes, IReadOnlyList<NaclChangeResult> nacls,
        params BlockedAddress[] records) =>
        new(sightings, writes, nacls, records.ToDictionary(r => r.Cidr));

    private static List<Change> Changes(BlockingReport report) =>
        [.. BlockingResults.Build(report, [], [], dryRun: false).SelectMany(r => r.Changes)];

    [Fact]
    public void Changes_WhenAnAddressIsAddedToAnIpSet_TellHowToRemoveItAndStopItComingBack()
    {
        var change = Assert.Single(Changes(Report([Sighting("203.0.113.7/32")], [Write(["203.0.113.7/32"], [])], [])));

        Assert.Equal(
            $"Remove 203.0.113.7/32 from the WAF IP set {SetArn} ({UpdateIpSet}); the pruner removes it by itself when the block expires, " +
            "and adding it to the AttackerAllowlistCidrs parameter stops it being blocked again.",
            change.HowToUndo);
    }

    [Fact]
    public void Changes_WhenAnAddressIsEvicted_TellHowToAddItBack()
    {
        var changes = Changes(Report([Sighting("203.0.113.7/32")], [Write(["203.0.113.7/32"], ["198.51.100.9/32"])], []));

        Assert.Equal($"Add 198.51.100.9/32 back to the WAF IP set {SetArn} ({UpdateIpSet}).",
            changes.Single(c => c.Action == BlockingResults.EvictAction).HowToUndo);
    }

    [Fact]
    public void Changes_WhenANaclDenyEntryIsCreated_TellHowToDeleteIt()
    {
        var acl = new NaclChangeResult("acl-0abc", [new NaclStep.Create("203.0.113.7/32", 100)]);

        var change = Assert.Single(Changes(Report([Sighting("203.0.113.7/32")], [], [acl])));

        Assert.Equal("Delete the deny entry: aws ec2 delete-network-acl-entry --network-acl-id acl-0abc --rule-number 100 --ingress", change.HowToUndo);
    }

    [Fact]
    public void Changes_WhenANaclDenyEntryIsReplaced_TellHowToPutThePreviousIpv6EntryBack()
    {
        var previous = new OwnedNaclRule("acl-0abc", 105, "2001:db8::1/128", Seen.AddDays(-2));
        var acl = new NaclChangeResult("acl-0abc", [new NaclStep.Replace("203.0.113.7/32", previous)]);

        var change = Assert.Single(Changes(Report([Sighting("203.0.113.7/32")], [], [acl])));

        Assert.Equal(
            "Put the previous entry (deny 2001:db8::1/128) back: aws ec2 replace-network-acl-entry --network-acl-id acl-0abc " +
            "--rule-number 105 --ingress --protocol -1 --rule-action deny --ipv6-cidr-block 2001:db8::1/128",
            change.HowToUndo);
    }

    [Fact]
    public void Results_WhenTheAddressWasAlreadyInTheSetBySomeoneElse_SayItStaysThereWhenTheBlockEnds()
    {
        var write = new IpSetWriteResult(new IpSetTarget(SetArn, false), new IpSetEdit(["203.0.113.7/32"], [], ["203.0.113.7/32"], [], [], []), Written: false, Attempts: 1);
        var record = new BlockedAddress("203.0.113.7/32", Seen, Seen, Seen.AddHours(24), ["f1"]);

        var result = Assert.Single(BlockingResults.Build(Report([Sighting("203.0.113.7/32")], [write], [], record), [], [], dryRun: false));

        Assert.Equal(OutcomeStatus.AlreadyCompliant, result.Status);
        Assert.Contains($"already in {SetArn}, not put there by this suite: it stays there when the block ends", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_WhenThisSuiteAddedTheAddressEarlier_DoNotCallItSomeoneElses()
    {
        var write = new IpSetWriteResult(new IpSetTarget(SetArn, false), new IpSetEdit(["203.0.113.7/32"], [], ["203.0.113.7/32"], [], [], []), Written: false, Attempts: 1);
        var record = new BlockedAddress("203.0.113.7/32", Seen, Seen, Seen.AddHours(24), ["f1"]) { AddedTo = [SetArn] };

        var result = Assert.Single(BlockingResults.Build(Report([Sighting("203.0.113.7/32")], [write], [], record), [], [], dryRun: false));

        Assert.DoesNotContain("not put there by this suite", result.Reason, StringComparison.Ordinal);
    }
}
