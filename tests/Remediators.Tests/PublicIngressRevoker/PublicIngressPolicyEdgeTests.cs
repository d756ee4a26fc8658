using PublicIngressRevoker;
using Remediators.Core.Remediation;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>The order revocations come in (widest first), the ALB keep rule at its edges, protocol names and port parsing.</summary>
public sealed class PublicIngressPolicyEdgeTests
{
    private const string Group = IngressRuleGenerators.GroupId;
    private const string ListA = "pl-0000000000000000a";
    private static readonly PublicIngressRevokerSettings Settings = new();
    private static readonly Dictionary<string, PrefixList> NoLists = [];

    private static IngressRule Rule(string id, string protocol, int from, int to, string cidr) => new(
        id, Group, false, protocol, from, to,
        cidr.Contains(':', StringComparison.Ordinal) ? null : cidr,
        cidr.Contains(':', StringComparison.Ordinal) ? cidr : null, null, null, null);

    [Fact]
    public void Decide_RevokesTheWidestRuleFirst_ThenOfEquallyWideOnesTheOneWithMorePublicAddresses()
    {
        // 0.0.0.0/1 holds 2,092,957,696 public addresses, 128.0.0.0/1 only 1,609,433,088 (multicast and reserved lie there).
        IngressRule[] rules = [Rule("sgr-a", "tcp", 22, 22, "128.0.0.0/1"), Rule("sgr-b", "tcp", 22, 22, "0.0.0.0/1"), Rule("sgr-c", "tcp", 22, 22, "0.0.0.0/0")];

        var plan = PublicIngressPolicy.Decide(Group, rules, NoLists, false, Settings);

        Assert.Equal(["sgr-c", "sgr-b", "sgr-a"], plan.Revocations.Select(r => r.Rule.RuleId));
    }

    [Fact]
    public void Decide_RevokesEquallyWideRulesInRuleIdOrder_WhateverOrderTheyCameIn()
    {
        IngressRule[] rules = [Rule("sgr-b", "tcp", 22, 22, "0.0.0.0/0"), Rule("sgr-a", "tcp", 22, 23, "0.0.0.0/0")];

        var plan = PublicIngressPolicy.Decide(Group, rules, NoLists, false, Settings);

        Assert.Equal(["sgr-a", "sgr-b"], plan.Revocations.Select(r => r.Rule.RuleId));
    }

    [Fact]
    public void Decide_JudgesAPrefixListByItsWidestEntry_SoANarrowRuleBesideItStays()
    {
        var lists = new Dictionary<string, PrefixList> { [ListA] = new(ListA, "world-and-office", false, ["0.0.0.0/0", "203.0.113.5/32"]) };
        IngressRule[] rules =
        [
            new("sgr-a", Group, false, "tcp", 22, 22, null, null, ListA, null, null),
            Rule("sgr-b", "tcp", 22, 22, "0.0.0.0/0"),
            Rule("sgr-c", "tcp", 22, 22, "198.51.100.0/24"),
        ];

        var plan = PublicIngressPolicy.Decide(Group, rules, lists, false, Settings);

        Assert.Equal(["sgr-a", "sgr-b"], plan.Revocations.Select(r => r.Rule.RuleId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("17")]
    [InlineData("-1")]
    public void KeepsOnAlb_NeverKeepsWhatIsNotTcp(string protocol)
    {
        var ports = protocol == "-1" ? -1 : 443;

        Assert.False(PublicIngressPolicy.KeepsOnAlb(Rule("sgr-1", protocol, ports, ports, "0.0.0.0/0"), [new(443, 443)]));
    }

    [Theory]
    [InlineData("tcp", 0, 22, true)]
    [InlineData("6", 443, 443, true)]
    [InlineData("tcp", 1000, 1024, false)]
    public void KeepsOnAlb_KeepsATcpRuleFromPortZeroWhenTheAllowedRangeStartsThere(string protocol, int from, int to, bool kept) =>
        Assert.Equal(kept, PublicIngressPolicy.KeepsOnAlb(Rule("sgr-1", protocol, from, to, "0.0.0.0/0"), [new(0, 1023), new(443, 443)]));

    [Theory]
    [InlineData("6", "tcp")]
    [InlineData("17", "udp")]
    [InlineData("1", "icmp")]
    [InlineData("58", "icmpv6")]
    [InlineData("tcp", "tcp")]
    [InlineData("47", "47")]
    public void ProtocolName_NamesTheCommonProtocolNumbersAndKeepsTheRest(string protocol, string expected) =>
        Assert.Equal(expected, PublicIngressPolicy.ProtocolName(protocol));

    [Theory]
    [InlineData("0", 0, 0)]
    [InlineData("65535", 65535, 65535)]
    [InlineData("0-65535", 0, 65535)]
    [InlineData("80-80", 80, 80)]
    [InlineData("8000 - 8080", 8000, 8080)]
    public void Parse_ReadsPortsAndRangesUpToTheEdges(string text, int from, int to) =>
        Assert.Equal(new PortRange(from, to), PortRange.Parse(text));

    [Theory]
    [InlineData("http")]
    [InlineData("")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("90-80")]
    [InlineData("80-65536")]
    [InlineData("80-x")]
    [InlineData("0-x")]
    public void Parse_RefusesWhatIsNotAPortOrAnAscendingRange(string text)
    {
        var error = Assert.Throws<FormatException>(() => PortRange.Parse(text));

        Assert.Equal($"'{text}' is not a port or port range", error.Message);
    }

    [Fact]
    public void FromEnvironment_WithABadAllowedAlbPort_NamesTheVariableTheValueAndTheFix()
    {
        var env = new EnvironmentSettings(name => name == PublicIngressRevokerSettings.AlbAllowedPortsVariable ? "80,443-80" : null);

        var error = Assert.Throws<SettingsException>(() => PublicIngressRevokerSettings.FromEnvironment(env));

        Assert.Equal("ALB_ALLOWED_PORTS: '443-80' is not a port or port range. Use ports or ranges, comma-separated, e.g. 80,443.", error.Message);
    }
}
