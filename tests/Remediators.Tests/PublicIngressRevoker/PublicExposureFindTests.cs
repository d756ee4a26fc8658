using System.Net.Sockets;
using FsCheck.Xunit;
using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>
/// Which exposures Find reports, in which order and with which text: TCP split at the rules' edges and the ALB's allowed
/// ports, UDP only at the rules' edges, all-traffic as TCP and UDP, other protocols as a whole. Expected texts are written out.
/// </summary>
public sealed class PublicExposureFindTests
{
    private const string Group = IngressRuleGenerators.GroupId;
    private static readonly PublicIngressRevokerSettings Settings = new();
    private static readonly Dictionary<string, PrefixList> NoLists = [];

    private static IngressRule Rule(string protocol, int from, int to, string cidr) => new(
        $"sgr-{protocol}-{from}-{to}-{cidr}", Group, false, protocol, from, to,
        cidr.Contains(':', StringComparison.Ordinal) ? null : cidr,
        cidr.Contains(':', StringComparison.Ordinal) ? cidr : null, null, null, null);

    private static string[] Texts(params IngressRule[] rules) =>
        [.. PublicExposures.Find(rules, NoLists, Settings).Select(e => e.Text)];

    [Fact]
    public void Find_ForOneTcpPort_NamesThePortAndTheIpv4Internet() =>
        Assert.Equal(["tcp 22 from the public IPv4 internet"], Texts(Rule("tcp", 22, 22, "0.0.0.0/0")));

    [Fact]
    public void Find_ForATcpRangeFromIpv6_NamesTheRangeAndTheIpv6Internet() =>
        Assert.Equal(["tcp 8000-8079 from the public IPv6 internet"], Texts(Rule("tcp", 8000, 8079, "::/0")));

    [Fact]
    public void Find_ForEveryTcpPort_SplitsAtTheAllowedAlbPortsSoEachIsJudgedOnItsOwn() =>
        Assert.Equal(
            [
                "tcp 0-79 from the public IPv4 internet", "tcp 80 from the public IPv4 internet", "tcp 81-442 from the public IPv4 internet",
                "tcp 443 from the public IPv4 internet", "tcp 444-65535 from the public IPv4 internet",
            ],
            Texts(Rule("tcp", 0, 65535, "0.0.0.0/0")));

    [Fact]
    public void Find_ForARuleReachingOnePortEitherSideOfAnAllowedPort_ReportsThreeSinglePorts() =>
        Assert.Equal(
            ["tcp 79 from the public IPv4 internet", "tcp 80 from the public IPv4 internet", "tcp 81 from the public IPv4 internet"],
            Texts(Rule("tcp", 79, 81, "0.0.0.0/0")));

    [Fact]
    public void Find_ForEveryUdpPort_DoesNotSplitAtTheAlbPortsBecauseAlbListenersAreTcp() =>
        Assert.Equal(["udp 0-65535 from the public IPv4 internet"], Texts(Rule("udp", 0, 65535, "0.0.0.0/0")));

    [Fact]
    public void Find_ForOneUdpPort_JudgesUdpByPortAndNotAsAWhole() =>
        Assert.Empty(Texts(Rule("udp", 53, 53, "0.0.0.0/1"), Rule("udp", 54, 54, "128.0.0.0/1")));

    [Fact]
    public void Find_ForAllTraffic_ReportsEveryTcpSegmentThenUdp_BothFamiliesPerSegment()
    {
        string[] tcp = ["0-79", "80", "81-442", "443", "444-65535"];

        Assert.Equal(
            [
                .. tcp.SelectMany(p => new[] { $"tcp {p} from the public IPv4 internet", $"tcp {p} from the public IPv6 internet" }),
                "udp 0-65535 from the public IPv4 internet", "udp 0-65535 from the public IPv6 internet",
            ],
            Texts(Rule("-1", -1, -1, "0.0.0.0/0"), Rule("-1", -1, -1, "::/0")));
    }

    [Fact]
    public void Find_ForAllTrafficBesideAnIcmpRule_StillReportsTcpAndUdp() =>
        Assert.Equal(
            [
                "icmp from the public IPv4 internet",
                "tcp 0-79 from the public IPv4 internet", "tcp 80 from the public IPv4 internet", "tcp 81-442 from the public IPv4 internet",
                "tcp 443 from the public IPv4 internet", "tcp 444-65535 from the public IPv4 internet",
                "udp 0-65535 from the public IPv4 internet",
            ],
            Texts(Rule("-1", -1, -1, "0.0.0.0/0"), Rule("icmp", -1, -1, "0.0.0.0/0")));

    [Fact]
    public void Find_ForAllTrafficFromHalfTheInternetAndTcpFromTheOtherHalf_OpensTcpOnTheTcpPortsAndNotUdp() =>
        Assert.Equal(["tcp 22 from the public IPv4 internet"], Texts(Rule("-1", -1, -1, "0.0.0.0/1"), Rule("tcp", 22, 22, "128.0.0.0/1")));

    [Fact]
    public void Find_ForIcmpWithATypeAndCode_JudgesIcmpAsAWholeWithNoPorts()
    {
        // EC2 keeps an ICMP rule's type and code in FromPort and ToPort (here type 3, code 4: fragmentation needed).
        var exposure = Assert.Single(PublicExposures.Find([Rule("icmp", 3, 4, "0.0.0.0/0")], NoLists, Settings));

        Assert.Equal("icmp from the public IPv4 internet", exposure.Text);
        Assert.Equal(new PortRange(-1, -1), exposure.Ports);
    }

    [Fact]
    public void Find_ForProtocolNumbers_JoinsThemWithTheNamedProtocol()
    {
        var exposure = Assert.Single(PublicExposures.Find([Rule("17", 53, 53, "0.0.0.0/1"), Rule("udp", 53, 53, "128.0.0.0/1")], NoLists, Settings));

        Assert.Equal("udp 53 from the public IPv4 internet", exposure.Text);
        Assert.Equal(2, exposure.Rules.Count);
    }

    [Theory]
    [InlineData("1", "0.0.0.0/0", "icmp from the public IPv4 internet")]
    [InlineData("58", "::/0", "icmpv6 from the public IPv6 internet")]
    [InlineData("6", "0.0.0.0/0", "tcp 22 from the public IPv4 internet")]
    [InlineData("47", "0.0.0.0/0", "47 from the public IPv4 internet")]
    public void Find_NamesTheCommonProtocolNumbers(string protocol, string cidr, string expected)
    {
        var ports = protocol == "6" ? 22 : -1;

        Assert.Equal([expected], Texts(Rule(protocol, ports, ports, cidr)));
    }

    [Fact]
    public void Find_DoesNotLetAPrivateRuleSplitAPublicRange() =>
        Assert.Equal(
            ["tcp 0-79 from the public IPv4 internet", "tcp 80 from the public IPv4 internet", "tcp 81-100 from the public IPv4 internet"],
            Texts(Rule("tcp", 0, 100, "0.0.0.0/0"), Rule("tcp", 50, 60, "10.0.0.0/8")));

    [Fact]
    public void Find_ForARuleWithSomePublicAddressesButUnderTheThreshold_ReportsNothing() =>
        Assert.Empty(Texts(Rule("tcp", 22, 22, "203.0.113.5/32"), Rule("tcp", 22, 22, "2001:db8::/32")));

    [Fact]
    public void Find_WhenOnlyOneFamilyIsWhollyOpen_ReportsThatFamilyOnly()
    {
        var exposure = Assert.Single(PublicExposures.Find([Rule("tcp", 22, 22, "0.0.0.0/0"), Rule("tcp", 22, 22, "2001:db8::/32")], NoLists, Settings));

        Assert.Equal(AddressFamily.InterNetwork, exposure.Family);
        Assert.Equal(["0.0.0.0/0"], exposure.Rules.Select(r => r.Cidr));
    }

    [Property(Arbitrary = [typeof(PublicIngressPolicyTests.Arbitraries)])]
    public bool Find_NeverReportsAllTrafficAsAProtocol_ButAsTcpAndUdp(IngressRule[] rules) =>
        PublicExposures.Find(rules, NoLists, Settings).All(e => e.Protocol != "-1");
}
