using System.Net;
using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>The reasons a person reads for each revocation, rule kept, rule left for review and grant, written out in full.</summary>
public sealed class PublicIngressReasonTextTests
{
    private const string Group = IngressRuleGenerators.GroupId;
    private const string ListA = "pl-0000000000000000a";
    private const string ListB = "pl-0000000000000000b";
    private static readonly PublicIngressRevokerSettings Settings = new();
    private static readonly PublicIngressRevokerSettings Report = Settings with { AlbWideRules = AlbWideRuleHandling.Report };
    private static readonly Dictionary<string, PrefixList> NoLists = [];

    private static IngressRule Rule(string id, string protocol, int from, int to, string cidr) => new(
        id, Group, false, protocol, from, to,
        cidr.Contains(':', StringComparison.Ordinal) ? null : cidr,
        cidr.Contains(':', StringComparison.Ordinal) ? cidr : null, null, null, null);

    private static IngressRule FromList(string id, string list, int from, int to) => new(id, Group, false, "tcp", from, to, null, null, list, null, null);

    private static Dictionary<string, PrefixList> Lists(params (string Id, string Name, string[] Cidrs)[] lists) =>
        lists.ToDictionary(l => l.Id, l => new PrefixList(l.Id, l.Name, false, l.Cidrs));

    [Fact]
    public void Decide_RevokingOneTcpPort_NamesThePortTheCidrAndTheInternetItOpens()
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "tcp", 22, 22, "0.0.0.0/0")], NoLists, false, Settings);

        Assert.Equal("tcp 22 open to 0.0.0.0/0: opens tcp 22 from the public IPv4 internet", Assert.Single(plan.Revocations).Reason);
    }

    [Fact]
    public void Decide_RevokingAnIpv6PortRange_NamesTheRangeAndTheIpv6Internet()
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "tcp", 8000, 8079, "::/0")], NoLists, false, Settings);

        Assert.Equal("tcp 8000-8079 open to ::/0: opens tcp 8000-8079 from the public IPv6 internet", Assert.Single(plan.Revocations).Reason);
    }

    [Fact]
    public void Decide_RevokingAllTraffic_SaysAllTrafficAndTheFirstTcpRangeItOpens()
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "-1", -1, -1, "0.0.0.0/0")], NoLists, false, Settings);

        Assert.Equal("all traffic open to 0.0.0.0/0: opens tcp 0-79 from the public IPv4 internet", Assert.Single(plan.Revocations).Reason);
    }

    [Fact]
    public void Decide_RevokingOnAnAlbGroup_SaysThePortIsOutsideTheAllowedOnes()
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "tcp", 22, 22, "0.0.0.0/0")], NoLists, true, Settings);

        Assert.Equal("tcp 22 open to 0.0.0.0/0: opens tcp 22 from the public IPv4 internet on an ALB group, outside the allowed public ports",
            Assert.Single(plan.Revocations).Reason);
    }

    [Fact]
    public void Decide_RevokingAReferenceToAPublicPrefixList_NamesTheList()
    {
        var plan = PublicIngressPolicy.Decide(Group, [FromList("sgr-1", ListA, 22, 22)], Lists((ListA, "world", ["0.0.0.0/0"])), false, Settings);

        Assert.Equal($"tcp 22 open to prefix list {ListA}: opens tcp 22 from the public IPv4 internet", Assert.Single(plan.Revocations).Reason);
    }

    [Fact]
    public void Decide_WhenTwoCustomerListsOpenTheWorldOnlyTogether_SaysEachListIsNeverEditedHere()
    {
        var lists = Lists((ListA, "low", ["0.0.0.0/1"]), (ListB, "high", ["128.0.0.0/1"]));

        var plan = PublicIngressPolicy.Decide(Group, [FromList("sgr-1", ListA, 22, 22), FromList("sgr-2", ListB, 22, 22)], lists, false, Settings);

        Assert.Equal(
            [
                ("sgr-1", $"tcp 22 from customer prefix list {ListA} (low) admits part of the public internet; the list may be shared and is never edited here; tcp 22 from the public IPv4 internet"),
                ("sgr-2", $"tcp 22 from customer prefix list {ListB} (high) admits part of the public internet; the list may be shared and is never edited here; tcp 22 from the public IPv4 internet"),
            ],
            plan.ForReview.Select(f => (f.Rule.RuleId, f.Reason)).OrderBy(f => f.RuleId, StringComparer.Ordinal));
    }

    [Fact]
    public void Decide_WhenTwoCustomerListsOpenAnAllowedPortOnANonAlbGroup_KeepsNothingAndLeavesThemForReview()
    {
        var lists = Lists((ListA, "low", ["0.0.0.0/1"]), (ListB, "high", ["128.0.0.0/1"]));

        var plan = PublicIngressPolicy.Decide(Group, [FromList("sgr-1", ListA, 80, 80), FromList("sgr-2", ListB, 80, 80)], lists, false, Settings);

        Assert.Empty(plan.Kept);
        Assert.Equal(["sgr-1", "sgr-2"], plan.ForReview.Select(f => f.Rule.RuleId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Decide_WhenAWideAlbRuleIsToBeReported_ListsTheAllowedPortsItHoldsAndHowToNarrowIt()
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "-1", -1, -1, "0.0.0.0/0")], NoLists, true, Report);

        Assert.Empty(plan.Revocations);
        Assert.Equal(
            "all traffic open to 0.0.0.0/0 also holds the ALB's public ports (tcp 80, tcp 443): narrow it by hand, " +
            "or set RevokerAlbWideRules to narrow; tcp 0-79 from the public IPv4 internet",
            Assert.Single(plan.ForReview).Reason);
    }

    [Fact]
    public void Decide_WhenAWideAlbRuleHoldsAnAllowedPortRange_WritesTheRangeInTheReview()
    {
        var settings = Report with { AlbAllowedPorts = [new(80, 80), new(8000, 8080)] };

        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "tcp", 0, 65535, "0.0.0.0/0")], NoLists, true, settings);

        Assert.Equal(
            "tcp 0-65535 open to 0.0.0.0/0 also holds the ALB's public ports (tcp 80, tcp 8000-8080): narrow it by hand, " +
            "or set RevokerAlbWideRules to narrow; tcp 0-79 from the public IPv4 internet",
            Assert.Single(plan.ForReview).Reason);
    }

    [Fact]
    public void Decide_WhenAPublicPrefixListHoldsTheAlbPorts_LeavesItForAPersonWithoutOfferingToNarrowIt()
    {
        var plan = PublicIngressPolicy.Decide(Group, [FromList("sgr-1", ListA, 0, 65535)], Lists((ListA, "world", ["0.0.0.0/0"])), true, Settings);

        Assert.Empty(plan.Revocations);
        Assert.Empty(plan.Grants);
        Assert.Equal(
            $"tcp 0-65535 open to prefix list {ListA} also holds the ALB's public ports (tcp 80, tcp 443): narrow it by hand; " +
            "tcp 0-79 from the public IPv4 internet",
            Assert.Single(plan.ForReview).Reason);
    }

    [Fact]
    public void Decide_OnANonAlbGroup_RevokesAWideRuleEvenWhenWideAlbRulesAreToBeReported()
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "-1", -1, -1, "0.0.0.0/0")], NoLists, false, Report);

        Assert.Equal("sgr-1", Assert.Single(plan.Revocations).Rule.RuleId);
        Assert.Empty(plan.ForReview);
    }

    [Fact]
    public void Decide_OnAnAlbGroup_SaysWhichAllowedPortsAreKept()
    {
        var settings = Settings with { AlbAllowedPorts = [new(80, 80), new(8000, 8080)] };

        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "tcp", 80, 80, "0.0.0.0/0"), Rule("sgr-2", "tcp", 8000, 8010, "::/0")], NoLists, true, settings);

        Assert.Equal(
            [("sgr-1", "ALB group: tcp 80 is an allowed public port"), ("sgr-2", "ALB group: tcp 8000-8010 is an allowed public port")],
            plan.Kept.Select(k => (k.Rule.RuleId, k.Reason)).OrderBy(k => k.RuleId, StringComparer.Ordinal));
    }

    [Fact]
    public void Decide_NarrowingAWideAlbRule_DescribesEachGrantByTheRuleItReplaces()
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "-1", -1, -1, "0.0.0.0/0")], NoLists, true, Settings);

        Assert.Equal(
            [("tcp", 80, 80, "0.0.0.0/0", "ALB port kept from wide public rule sgr-1"), ("tcp", 443, 443, "0.0.0.0/0", "ALB port kept from wide public rule sgr-1")],
            plan.Grants.OrderBy(g => g.FromPort).Select(g => (g.Protocol, g.FromPort, g.ToPort, g.Cidr, g.Description)));
    }

    [Fact]
    public void Decide_WithTrustedCidrsOfBothFamilies_GrantsAnIpv4RuleOnlyTheIpv4OneAndSaysWhichRuleItReplaces()
    {
        var settings = Settings with { TrustedCidrs = [IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8:1::/48")] };

        var plan = PublicIngressPolicy.Decide(Group, [Rule("sgr-1", "tcp", 22, 22, "0.0.0.0/0")], NoLists, false, settings);

        Assert.Equal(("192.0.2.0/24", "Trusted replacement for public rule sgr-1"), Assert.Single(plan.Grants.Select(g => (g.Cidr, g.Description))));
    }

    [Fact]
    public void Decide_WithTrustedCidrs_GrantsARevokedListOfBothFamiliesATrustedCidrOfEach()
    {
        var settings = Settings with { TrustedCidrs = [IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8:1::/48")] };

        var plan = PublicIngressPolicy.Decide(Group, [FromList("sgr-1", ListA, 22, 22)], Lists((ListA, "world", ["0.0.0.0/0", "::/0"])), false, settings);

        Assert.Equal("sgr-1", Assert.Single(plan.Revocations).Rule.RuleId);
        Assert.Equal(["192.0.2.0/24", "2001:db8:1::/48"], plan.Grants.Select(g => g.Cidr).Order(StringComparer.Ordinal));
    }
}
