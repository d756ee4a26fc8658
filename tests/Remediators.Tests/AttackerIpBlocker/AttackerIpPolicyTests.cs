using System.Net;
using AttackerIpBlocker;
using FsCheck.Xunit;
using Remediators.Core.Blocklist;
using Remediators.Core.Events;
using Remediators.Tests.Blocklist;
using static Remediators.Tests.AttackerIpBlocker.FindingGenerators;

namespace Remediators.Tests.AttackerIpBlocker;

public sealed class AttackerIpPolicyTests
{
    private static readonly AttackerIpBlockerSettings Settings = new()
    {
        Blocklist = new BlocklistSettings("table", [], new NaclRuleRange(1, 10)),
        Addresses = new AddressRules([IPNetwork.Parse("8.8.0.0/16")], RefuseDocumentationRanges: true),
    };

    [Fact]
    public void RemoteAddresses_TakesEveryAddressOfEveryActionType()
    {
        var finding = Finding(new FindingAction(new NetworkConnectionAction("INBOUND", new RemoteIpDetails("1.1.1.1", "2606:4700::1")),
            new RemoteIpAction(new RemoteIpDetails("1.1.1.2", null)),
            new PortProbeAction([new PortProbeDetail(new RemoteIpDetails("1.1.1.3", null)), new PortProbeDetail(new RemoteIpDetails("1.1.1.4", null))]),
            new RemoteIpAction(new RemoteIpDetails(null, "2606:4700::5")),
            new RemoteIpAction(new RemoteIpDetails("1.1.1.6", null))));

        var texts = AttackerIpPolicy.RemoteAddresses(finding).Select(a => a.Text);

        Assert.Equal(["1.1.1.1", "2606:4700::1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "2606:4700::5", "1.1.1.6"], texts);
    }

    [Fact]
    public void Decide_AnInboundPublicAttacker_IsBlockedForTheRetentionAfterItsLastSighting()
    {
        var decision = AttackerIpPolicy.Decide(new ReceivedFinding("m", Envelope(), Finding(Inbound("1.1.1.1"), lastSeen: Now.AddHours(-2))), Now, Settings);

        Assert.Equal("1.1.1.1/32", Assert.Single(decision.Addresses).Block!.Cidr);
        Assert.Equal(Now.AddHours(-2), decision.SeenAt);
        Assert.Equal(["subnet-1"], decision.SubnetIds);
    }

    [Theory]
    [InlineData("ACTOR", "INBOUND", 5.0, "not TARGET")]
    [InlineData(null, "INBOUND", 5.0, "resourceRole is missing")]
    [InlineData("TARGET", "OUTBOUND", 5.0, "direction is OUTBOUND")]
    [InlineData("TARGET", "INBOUND", 3.9, "severity 3.9 is below")]
    public void Decide_WhenTheRemoteSideDidNotAttackOrTheFindingIsTooWeak_RefusesWithTheReason(string? role, string direction, double severity, string reason)
    {
        var decision = AttackerIpPolicy.Decide(new ReceivedFinding("m", Envelope(), Finding(Inbound("1.1.1.1", direction: direction), role, severity)), Now, Settings);

        var address = Assert.Single(decision.Addresses);
        Assert.Null(address.Block);
        Assert.Contains(reason, address.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AFindingOlderThanTheRetention_IsNotBlocked() =>
        Assert.Contains("more than 24 h ago", Assert.Single(AttackerIpPolicy.Decide(
            new ReceivedFinding("m", Envelope(), Finding(ApiCall("1.1.1.1"), lastSeen: Now.AddHours(-25))), Now, Settings).Addresses).Refusal, StringComparison.Ordinal);

    [Fact]
    public void Decide_WithTypePrefixes_BlocksOnlyMatchingTypes()
    {
        var settings = Settings with { FindingTypePrefixes = ["Recon:"] };

        var decision = AttackerIpPolicy.Decide(new ReceivedFinding("m", Envelope(), Finding(ApiCall("1.1.1.1"))), Now, settings);

        Assert.Contains("matches none of FINDING_TYPE_PREFIXES", Assert.Single(decision.Addresses).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ASightingAheadOfNow_CountsAsNow() =>
        Assert.Equal(Now, AttackerIpPolicy.Decide(new ReceivedFinding("m", Envelope(), Finding(ApiCall("1.1.1.1"), lastSeen: Now.AddDays(3))), Now, Settings).SeenAt);

    [Fact]
    public void Decide_AFindingOfAnotherAccount_BlocksInWafButNamesNoSubnet()
    {
        var decision = AttackerIpPolicy.Decide(new ReceivedFinding("m", Envelope(), Finding(Inbound("1.1.1.1"), account: "210987654321")), Now, Settings);

        Assert.NotNull(Assert.Single(decision.Addresses).Block);
        Assert.Empty(decision.SubnetIds);
    }

    [Fact]
    public void Decide_AFindingWithoutRemoteAddress_HasNothingToBlock() =>
        Assert.Contains("names no remote IP address", AttackerIpPolicy.Decide(
            new ReceivedFinding("m", Envelope(), Finding(new FindingAction(null, null, null, null, null))), Now, Settings).NothingReason, StringComparison.Ordinal);

    [Fact]
    public void Merge_KeepsTheLatestSightingOfEachAddressAndEveryFinding()
    {
        var older = AttackerIpPolicy.Decide(new ReceivedFinding("a", Envelope(), Finding(Inbound("1.1.1.1"), lastSeen: Now.AddHours(-3))), Now, Settings);
        var newer = AttackerIpPolicy.Decide(new ReceivedFinding("b", Envelope(), Finding(ApiCall("1.1.1.1"), lastSeen: Now.AddHours(-1))), Now, Settings);

        var sighting = Assert.Single(AddressBlocking.Merge([older, newer], TimeSpan.FromHours(24)));

        Assert.Equal(Now.AddHours(23), sighting.ExpiresAt);
        Assert.Equal(new[] { older.FindingId, newer.FindingId }.Order(StringComparer.Ordinal), sighting.FindingIds);
    }

    /// <summary>
    /// The safety property, from findings to the set's new list: whatever the findings carry, every address that reaches
    /// an IP set is one public host (/32 or /128) outside every refused class, named by a finding whose resource was the target
    /// of an inbound action, of at least the minimum severity and seen within the retention.
    /// </summary>
    [Property(MaxTest = 500, Arbitrary = [typeof(Arbitraries)])]
    public bool NoRefusedAddress_EverReachesAnIpSet(ReceivedFinding[] findings)
    {
        var decisions = findings.Select(f => AttackerIpPolicy.Decide(f, Now, Settings)).ToList();
        var sightings = AddressBlocking.Merge(decisions, Settings.Retention);
        var additions = sightings.Select(s => new IpSetAddition(s.Cidr, s.ExpiresAt)).ToList();
        var reached = IpSetPlanner.Add([], additions, new Dictionary<string, DateTimeOffset>()).Addresses;

        return reached.All(cidr =>
        {
            var network = IPNetwork.Parse(cidr);
            return network.PrefixLength is 32 or 128
                && !AddressGenerators.IsForbidden(network.BaseAddress, Settings.Addresses.RefuseDocumentationRanges, Settings.Addresses.Allowlist)
                && findings.Any(f => NamesAsAttacker(f.Finding, network.BaseAddress));
        });
    }

    private static bool NamesAsAttacker(GuardDutyFinding finding, IPAddress address)
    {
        var service = finding.Service!;
        if (service.ResourceRole != "TARGET" || finding.Severity < Settings.MinFindingSeverity || service.EventLastSeen + Settings.Retention <= Now)
            return false;
        return AttackerIpPolicy.RemoteAddresses(finding).Any(remote =>
            (remote.ConnectionDirection is null or "INBOUND") && IPAddress.TryParse(remote.Text, out var parsed) &&
            (parsed.Equals(address) || (parsed.IsIPv4MappedToIPv6 && parsed.MapToIPv4().Equals(address))));
    }

    public static class Arbitraries
    {
        public static FsCheck.Arbitrary<ReceivedFinding[]> Findings() => FindingGenerators.Findings();
    }

    // Found by the fuzzing suite: a JSON null in either list used to throw a NullReferenceException.
    [Fact]
    public void Decide_NullItemsInPortProbesAndNetworkInterfaces_NameNothing()
    {
        var finding = Finding(new FindingAction(null, null, new PortProbeAction([null!, new PortProbeDetail(new RemoteIpDetails("1.1.1.3", null))]), null, null)) with
        {
            Resource = new FindingResource(null, new InstanceDetails([null!, new FindingNetworkInterface("subnet-1")])),
        };

        var decision = AttackerIpPolicy.Decide(new ReceivedFinding("m", Envelope(), finding), Now, Settings);

        Assert.Equal("1.1.1.3/32", Assert.Single(decision.Addresses).Block!.Cidr);
        Assert.Equal(["subnet-1"], decision.SubnetIds);
    }
}
