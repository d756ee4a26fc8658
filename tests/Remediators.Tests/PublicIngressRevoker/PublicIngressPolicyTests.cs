using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

public sealed class PublicIngressPolicyTests
{
    private static readonly PublicIngressRevokerSettings Settings = new();
    private const string Group = IngressRuleGenerators.GroupId;
    private static readonly Dictionary<string, PrefixList> NoLists = [];

    private static IngressRule Rule(string protocol, int from, int to, string cidr, bool egress = false) => new(
        $"sgr-{protocol}-{from}-{to}-{cidr}", Group, egress, protocol, from, to,
        cidr.Contains(':', StringComparison.Ordinal) ? null : cidr,
        cidr.Contains(':', StringComparison.Ordinal) ? cidr : null, null, null, "desc");

    [Fact]
    public void Decide_WhenNonAlbGroupOpensSshToBothFamiliesAndAllTraffic_RevokesAllThree()
    {
        IngressRule[] rules =
        [
            Rule("tcp", 22, 22, "0.0.0.0/0"), Rule("tcp", 22, 22, "::/0"), Rule("-1", -1, -1, "0.0.0.0/0"),
            Rule("tcp", 5432, 5432, "10.0.0.0/16"),
        ];

        var plan = PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: false, Settings);

        Assert.Equal(rules[..3].Select(r => r.RuleId).Order(), plan.Revocations.Select(r => r.Rule.RuleId).Order());
        Assert.Empty(plan.Kept);
    }

    [Fact]
    public void Decide_WhenAlbGroupOpensWebPortsSshAndEverything_KeepsOnly80And443()
    {
        IngressRule[] rules =
        [
            Rule("tcp", 80, 80, "0.0.0.0/0"), Rule("tcp", 443, 443, "::/0"),
            Rule("tcp", 22, 22, "0.0.0.0/0"), Rule("tcp", 0, 65535, "0.0.0.0/0"), Rule("tcp", 80, 443, "0.0.0.0/0"),
        ];

        var plan = PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: true, Settings);

        Assert.Equal(["tcp 443", "tcp 80"], plan.Kept.Select(k => $"{k.Rule.Protocol} {k.Rule.PortText}").Order());
        Assert.Equal(["0-65535", "22", "80-443"], plan.Revocations.Select(r => r.Rule.PortText).Order());
        // IPv4 443 was open only through the wide rules, so it is granted on its own first; IPv4 80 still has its own rule.
        Assert.Equal([("tcp", 443, 443, "0.0.0.0/0")], plan.Grants.Select(g => (g.Protocol, g.FromPort, g.ToPort, g.Cidr)));
    }

    [Fact]
    public void Decide_WhenAlbGroupOpensUdp443_RevokesItBecauseAlbListenersAreTcp()
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("udp", 443, 443, "0.0.0.0/0")], NoLists, isAlbGroup: true, Settings);

        Assert.Single(plan.Revocations);
    }

    [Fact]
    public void Decide_WithTrustedCidrs_GrantsTheRevokedPortsToTheSameFamilyOnly()
    {
        var settings = Settings with { TrustedCidrs = [IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("2001:db8:1::/48")] };

        var plan = PublicIngressPolicy.Decide(Group, [Rule("tcp", 22, 22, "0.0.0.0/0"), Rule("tcp", 22, 22, "::/0")], NoLists, false, settings);

        Assert.Equal(["192.0.2.0/24", "2001:db8:1::/48"], plan.Grants.Select(g => g.Cidr).Order());
        Assert.All(plan.Grants, g => Assert.Equal((22, 22, "tcp"), (g.FromPort, g.ToPort, g.Protocol)));
    }

    [Fact]
    public void Decide_WhenTheTrustedGrantAlreadyExists_DoesNotGrantItAgain()
    {
        var settings = Settings with { TrustedCidrs = [IPNetwork.Parse("192.0.2.0/24")] };

        var plan = PublicIngressPolicy.Decide(Group, [Rule("tcp", 22, 22, "0.0.0.0/0"), Rule("tcp", 22, 22, "192.0.2.0/24")], NoLists, false, settings);

        Assert.Empty(plan.Grants);
        Assert.Single(plan.Revocations);
    }

    [Fact]
    public void KeepsOnAlb_ComparesWholeRanges_NotSinglePorts()
    {
        IReadOnlyList<PortRange> allowed = PortRange.Merge([new(80, 80), new(81, 81), new(443, 443)]);

        Assert.True(PublicIngressPolicy.KeepsOnAlb(Rule("tcp", 80, 81, "0.0.0.0/0"), allowed));
        Assert.False(PublicIngressPolicy.KeepsOnAlb(Rule("tcp", 80, 443, "0.0.0.0/0"), allowed));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool Decide_NeverRevokesARuleWithoutPublicSources(IngressRule[] rules, bool isAlb) =>
        PublicIngressPolicy.Decide(Group, rules, NoLists, isAlb, Settings).Revocations.All(r =>
            !r.Rule.IsEgress && r.Rule.ReferencedGroupId is null && r.Rule.PrefixListId is null &&
            r.Rule.Cidr is not null && !IngressRuleGenerators.PrivateCidrs.Contains(r.Rule.Cidr));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool Decide_OnANonAlbGroup_LeavesNoPortOpenToTheWholeInternet(IngressRule[] rules)
    {
        var plan = PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: false, Settings);
        var after = WholeInternet.After(rules, plan);
        return plan.Kept.Count == 0 && !WholeInternet.OpenPorts(after).Any() &&
            (plan.Revocations.Count > 0 || !WholeInternet.OpenPorts(rules).Any());
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool Decide_NeverRevokesARuleNarrowerThanTheRulesThatOpenTheWholeInternet(IngressRule[] rules, bool isAlb) =>
        PublicIngressPolicy.Decide(Group, rules, NoLists, isAlb, Settings).Revocations.All(r => WholeInternet.Wide.Contains(r.Rule.Cidr));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool Decide_OnAnAlbGroup_KeepsOnlyTcpRulesInsideTheAllowedPorts(IngressRule[] rules) =>
        PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: true, Settings).Kept.All(k =>
            k.Rule.Protocol is "tcp" or "6" && k.Rule.FromPort == k.Rule.ToPort && k.Rule.FromPort is 80 or 443);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool Decide_OnANonAlbGroupWithoutTrustedCidrs_GrantsNothing(IngressRule[] rules) =>
        PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: false, Settings).Grants.Count == 0;

    public static class Arbitraries
    {
        public static Arbitrary<IngressRule[]> Rules() => IngressRuleGenerators.Rules();
    }
}
