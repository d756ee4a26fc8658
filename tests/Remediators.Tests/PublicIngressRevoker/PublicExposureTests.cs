using System.Net.Sockets;
using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>Public is judged by the address space a group's rules admit together, never by one rule's prefix length.</summary>
public sealed class PublicExposureTests
{
    private const string Group = IngressRuleGenerators.GroupId;
    private static readonly PublicIngressRevokerSettings Settings = new();
    private static readonly Dictionary<string, PrefixList> NoLists = [];

    private static IngressRule Rule(string protocol, int from, int to, string cidr) => new(
        $"sgr-{protocol}-{from}-{to}-{cidr}", Group, false, protocol, from, to,
        cidr.Contains(':', StringComparison.Ordinal) ? null : cidr,
        cidr.Contains(':', StringComparison.Ordinal) ? cidr : null, null, null, null);

    private static IngressRule FromList(string id, int port) => new($"sgr-{id}-{port}", Group, false, "tcp", port, port, null, null, id, null, null);

    private static string[] Revoked(GroupPlan plan) => [.. plan.Revocations.Select(r => r.Rule.Cidr ?? r.Rule.PrefixListId!).Order(StringComparer.Ordinal)];

    [Fact]
    public void TotalPublicAddresses_LeaveOutPrivateLoopbackLinkLocalMulticastAndReservedSpace()
    {
        // 2^32 minus 0/8, 10/8, 127/8 (3 x 2^24), 100.64/10 (2^22), 172.16/12 (2^20), 169.254/16 and 192.168/16 (2 x 2^16), 224/3 (2^29).
        Assert.Equal((UInt128)3_702_390_784, PublicAddressSpace.TotalPublicAddresses(AddressFamily.InterNetwork));
        Assert.Equal(UInt128.One << 125, PublicAddressSpace.TotalPublicAddresses(AddressFamily.InterNetworkV6));
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("172.16.0.0/12")]
    [InlineData("192.168.0.0/16")]
    [InlineData("100.64.0.0/10")]
    [InlineData("127.0.0.0/8")]
    [InlineData("169.254.0.0/16")]
    [InlineData("224.0.0.0/4")]
    [InlineData("fc00::/7")]
    [InlineData("fe80::/10")]
    [InlineData("::1/128")]
    [InlineData("ff00::/8")]
    public void PublicAddresses_OfPrivateOrSpecialSpace_AreNone(string cidr)
    {
        var block = AddressBlock.TryParse(cidr)!;

        Assert.Equal(UInt128.Zero, PublicAddressSpace.PublicAddresses([block], block.Family));
    }

    [Theory]
    [InlineData("0.0.0.0/1", "128.0.0.0/1")]
    [InlineData("::/1", "8000::/1")]
    [InlineData("0.0.0.0/0", "10.0.0.0/8")]
    public void Decide_WhenTwoRulesTogetherAdmitTheWholePublicInternet_RevokesWhatOpensIt(string first, string second)
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("tcp", 22, 22, first), Rule("tcp", 22, 22, second)], NoLists, false, Settings);

        Assert.Contains(first, Revoked(plan));
        Assert.DoesNotContain("10.0.0.0/8", Revoked(plan));
    }

    [Fact]
    public void Decide_WhenSplitHalvesOpenDifferentPorts_RevokesNothing()
    {
        var plan = PublicIngressPolicy.Decide(Group, [Rule("tcp", 22, 22, "0.0.0.0/1"), Rule("tcp", 23, 23, "128.0.0.0/1")], NoLists, false, Settings);

        Assert.Empty(plan.Revocations);
    }

    [Fact]
    public void Decide_BesideAWorldRule_KeepsTheNarrowPublicRule()
    {
        var plan = PublicIngressPolicy.Decide(Group,
            [Rule("tcp", 22, 22, "0.0.0.0/1"), Rule("tcp", 22, 22, "128.0.0.0/1"), Rule("tcp", 22, 22, "203.0.113.5/32")], NoLists, false, Settings);

        Assert.Equal(["0.0.0.0/1", "128.0.0.0/1"], Revoked(plan));
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("100.64.0.0/10")]
    [InlineData("fc00::/7")]
    [InlineData("fe80::/10")]
    [InlineData("169.254.0.0/16")]
    public void Decide_PrivateSpaceIsNeverPublic_EvenAtTheLowestThreshold(string cidr)
    {
        var settings = Settings with { PublicIpv4Percent = 1, PublicIpv6Percent = 1 };

        Assert.Empty(PublicIngressPolicy.Decide(Group, [Rule("-1", -1, -1, cidr)], NoLists, false, settings).Revocations);
    }

    [Fact]
    public void Decide_WithALowerIpv4Threshold_CountsHalfTheInternetAsPublicButLeavesIpv6ToItsOwnThreshold()
    {
        var settings = Settings with { PublicIpv4Percent = 50 };

        var plan = PublicIngressPolicy.Decide(Group, [Rule("tcp", 22, 22, "0.0.0.0/1"), Rule("tcp", 22, 22, "2000::/4")], NoLists, false, settings);

        Assert.Equal(["0.0.0.0/1"], Revoked(plan));
    }

    [Fact]
    public void Decide_WhenACustomerPrefixListHoldsTheWorld_RevokesTheReferenceAndNeverTheAwsManagedOne()
    {
        var lists = new Dictionary<string, PrefixList>
        {
            ["pl-0000000000000000a"] = new("pl-0000000000000000a", "partners", false, ["0.0.0.0/1", "128.0.0.0/1"]),
            ["pl-0000000000000000b"] = new("pl-0000000000000000b", "com.amazonaws.us-east-1.s3", true, []),
        };

        var plan = PublicIngressPolicy.Decide(Group, [FromList("pl-0000000000000000a", 22), FromList("pl-0000000000000000b", 22)], lists, false, Settings);

        Assert.Equal(["pl-0000000000000000a"], Revoked(plan));
        Assert.Contains("PrefixListIds=[{PrefixListId=pl-0000000000000000a}]", GroupRemediation.Changes(plan).Single().HowToUndo, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_WhenTwoPrefixListsOpenTheWorldOnlyTogether_LeavesBothForAPerson()
    {
        var lists = new Dictionary<string, PrefixList>
        {
            ["pl-0000000000000000a"] = new("pl-0000000000000000a", "low", false, ["0.0.0.0/1"]),
            ["pl-0000000000000000b"] = new("pl-0000000000000000b", "high", false, ["128.0.0.0/1"]),
        };

        var plan = PublicIngressPolicy.Decide(Group,
            [FromList("pl-0000000000000000a", 22), FromList("pl-0000000000000000b", 22), Rule("tcp", 22, 22, "203.0.113.5/32")], lists, false, Settings);

        Assert.Empty(plan.Revocations);
        Assert.Equal(2, plan.ForReview.Count);
    }

    [Fact]
    public void Decide_WhenAPrefixListAndACidrOpenTheWorldTogether_RevokesTheCidrRuleAndLeavesTheList()
    {
        var lists = new Dictionary<string, PrefixList> { ["pl-0000000000000000a"] = new("pl-0000000000000000a", "low", false, ["0.0.0.0/1"]) };

        var plan = PublicIngressPolicy.Decide(Group, [FromList("pl-0000000000000000a", 22), Rule("tcp", 0, 1000, "128.0.0.0/1")], lists, false, Settings);

        Assert.Equal(["128.0.0.0/1"], Revoked(plan));
        Assert.Empty(plan.ForReview);
    }

    [Fact]
    public void FromEnvironment_RefusesATrustedCidrThatIsPublicOnItsOwn()
    {
        var env = new Remediators.Core.Remediation.EnvironmentSettings(name => name switch
        {
            PublicIngressRevokerSettings.TrustedCidrsVariable => "192.0.2.0/24,0.0.0.0/1",
            PublicIngressRevokerSettings.PublicIpv4PercentVariable => "50",
            _ => null,
        });

        var error = Assert.Throws<Remediators.Core.Remediation.SettingsException>(() => PublicIngressRevokerSettings.FromEnvironment(env));
        Assert.Contains("0.0.0.0/1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_WithoutTrustedCidrs_StartsWithTheDefaults() =>
        Assert.Equal(100, PublicIngressRevokerSettings.FromEnvironment(new Remediators.Core.Remediation.EnvironmentSettings(_ => null)).PublicIpv4Percent);
}
