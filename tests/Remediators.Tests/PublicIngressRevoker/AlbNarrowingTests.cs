using FsCheck.Xunit;
using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>
/// A group that fronts an ALB must keep its allowed public ports on every address family that had them. The expectations
/// here enumerate ports and families themselves; they never ask the policy what is public or allowed.
/// </summary>
public sealed class AlbNarrowingTests
{
    private const string Group = IngressRuleGenerators.GroupId;
    private static readonly Dictionary<string, PrefixList> NoLists = [];
    private static readonly PublicIngressRevokerSettings Settings = new();
    private static readonly int[] AllowedPorts = [80, 443];

    private static IngressRule Rule(string protocol, int from, int to, string cidr) => new(
        $"sgr-{protocol}-{from}-{to}-{cidr}", Group, false, protocol, from, to,
        cidr.Contains(':', StringComparison.Ordinal) ? null : cidr,
        cidr.Contains(':', StringComparison.Ordinal) ? cidr : null, null, null, null);

    private static bool AdmitsTcp(IngressRule rule, int port) =>
        rule.Protocol == "-1" || (rule.Protocol is "tcp" or "6" && rule.FromPort <= port && port <= rule.ToPort);

    [Fact]
    public void Decide_WhenAlbGroupOpensEveryPortToBothFamilies_GrantsTheAllowedPortsFromEachBeforeRevoking()
    {
        IngressRule[] rules = [Rule("-1", -1, -1, "0.0.0.0/0"), Rule("tcp", 0, 65535, "::/0")];

        var plan = PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: true, Settings);

        Assert.Equal(rules.Select(r => r.RuleId).Order(), plan.Revocations.Select(r => r.Rule.RuleId).Order());
        Assert.Equal(["0.0.0.0/0 tcp 443-443", "0.0.0.0/0 tcp 80-80", "::/0 tcp 443-443", "::/0 tcp 80-80"],
            plan.Grants.Select(g => $"{g.Cidr} {g.Protocol} {g.FromPort}-{g.ToPort}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(79, 80, 80)]
    [InlineData(443, 444, 443)]
    public void Decide_WhenAlbRuleReachesOnePortPastAnAllowedOne_GrantsOnlyTheAllowedPort(int from, int to, int granted)
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("tcp", from, to, "0.0.0.0/0")], NoLists, isAlbGroup: true, Settings);

        Assert.Single(plan.Revocations);
        var grant = Assert.Single(plan.Grants);
        Assert.Equal((granted, granted), (grant.FromPort, grant.ToPort));
    }

    [Fact]
    public void Decide_WhenWideAlbRulesAreToBeReported_LeavesThemForAPersonAndStillRevokesSsh()
    {
        IngressRule[] rules = [Rule("-1", -1, -1, "0.0.0.0/0"), Rule("tcp", 22, 22, "::/0"), Rule("tcp", 80, 80, "::/0")];

        var plan = PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: true, Settings with { AlbWideRules = AlbWideRuleHandling.Report });

        Assert.Equal(rules[0].RuleId, Assert.Single(plan.ForReview).Rule.RuleId);
        Assert.Equal(rules[1].RuleId, Assert.Single(plan.Revocations).Rule.RuleId);
        Assert.Empty(plan.Grants);
    }

    [Property(Arbitrary = [typeof(PublicIngressPolicyTests.Arbitraries)])]
    public bool Decide_OnAnAlbGroup_LeavesEveryAllowedPortOpenOnEveryFamilyThatHadIt(IngressRule[] rules)
    {
        var after = WholeInternet.OpenPorts(WholeInternet.After(rules, PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: true, Settings))).ToHashSet();

        return WholeInternet.OpenPorts(rules).Where(open => open.Protocol == "tcp" && AllowedPorts.Contains(open.Port)).All(after.Contains);
    }

    [Property(Arbitrary = [typeof(PublicIngressPolicyTests.Arbitraries)])]
    public bool Decide_OnAnAlbGroup_LeavesTheWholeInternetOnlyTheAllowedTcpPorts(IngressRule[] rules) =>
        WholeInternet.OpenPorts(WholeInternet.After(rules, PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: true, Settings)))
            .All(open => open.Protocol == "tcp" && AllowedPorts.Contains(open.Port));

    [Property(Arbitrary = [typeof(PublicIngressPolicyTests.Arbitraries)])]
    public bool Decide_WhenWideAlbRulesAreToBeReported_NeverRevokesARuleHoldingAnAllowedPort(IngressRule[] rules)
    {
        var plan = PublicIngressPolicy.Decide(Group, rules, NoLists, isAlbGroup: true, Settings with { AlbWideRules = AlbWideRuleHandling.Report });

        return plan.Grants.Count == 0 && plan.Revocations.All(r => !AllowedPorts.Any(port => AdmitsTcp(r.Rule, port)));
    }
}
