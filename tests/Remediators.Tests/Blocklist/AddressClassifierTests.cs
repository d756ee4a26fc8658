using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Remediators.Core.Blocklist;

namespace Remediators.Tests.Blocklist;

public sealed class AddressClassifierTests
{
    private static readonly AddressRules NoDocumentation = new([], RefuseDocumentationRanges: false);

    [Theory]
    [InlineData("8.8.8.8", "8.8.8.8/32")]
    [InlineData("2606:4700:4700::1111", "2606:4700:4700::1111/128")]
    [InlineData("2606:4700:4700:0:0:0:0:1111", "2606:4700:4700::1111/128")]
    [InlineData("::ffff:8.8.4.4", "8.8.4.4/32")]
    public void Classify_APublicHost_BlocksItAsOneHost(string text, string cidr) =>
        Assert.Equal(cidr, AddressClassifier.Classify(text, AddressRules.Default).Blockable!.Cidr);

    [Theory]
    [InlineData("10.0.0.1", "private (10.0.0.0/8)")]
    [InlineData("172.31.255.254", "private (172.16.0.0/12)")]
    [InlineData("100.64.0.1", "shared address space (100.64.0.0/10)")]
    [InlineData("127.0.0.1", "loopback (127.0.0.0/8)")]
    [InlineData("169.254.169.254", "link-local (169.254.0.0/16)")]
    [InlineData("224.0.0.251", "multicast (224.0.0.0/4)")]
    [InlineData("255.255.255.255", "reserved (240.0.0.0/4)")]
    [InlineData("0.0.0.0", "\"this network\" (0.0.0.0/8)")]
    [InlineData("::1", "loopback (::1)")]
    [InlineData("::", "unspecified (::)")]
    [InlineData("fe80::1", "link-local (fe80::/10)")]
    [InlineData("fd00::1", "unique local, private (fc00::/7)")]
    [InlineData("ff02::1", "multicast (ff00::/8)")]
    [InlineData("2001:0:4136:e378::1", "IETF protocol assignments (2001::/23)")]
    [InlineData("::ffff:192.168.0.1", "private (192.168.0.0/16)")]
    [InlineData("203.0.113.5", "documentation (203.0.113.0/24)")]
    [InlineData("2001:db8::5", "documentation (2001:db8::/32)")]
    public void Classify_ASpecialPurposeAddress_RefusesItNamingTheRange(string text, string reason) =>
        Assert.Equal(reason, AddressClassifier.Classify(text, AddressRules.Default).Refusal);

    [Theory]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1.2.3.4/0")]
    [InlineData("010.0.0.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("1")]
    public void Classify_TextThatIsNotOnePlainHost_IsRefused(string text) =>
        Assert.Equal("not a plain IPv4 or IPv6 host address", AddressClassifier.Classify(text, AddressRules.Default).Refusal);

    [Fact]
    public void Classify_DocumentationRanges_AreBlockableWhenNotRefused() =>
        Assert.Equal("203.0.113.5/32", AddressClassifier.Classify("203.0.113.5", NoDocumentation).Blockable!.Cidr);

    [Fact]
    public void Classify_AnAllowlistedAddress_IsRefusedNamingTheEntry() =>
        Assert.Equal("allowlisted (8.8.8.0/24)", AddressClassifier.Classify("8.8.8.8", new AddressRules([IPNetwork.Parse("8.8.8.0/24")], true)).Refusal);

    [Property(MaxTest = 2000, Arbitrary = [typeof(Arbitraries)])]
    public bool Classify_NeverLetsAForbiddenAddressOrAWiderPrefixThrough(string text, bool refuseDocumentation)
    {
        IReadOnlyList<IPNetwork> allowlist = [IPNetwork.Parse("8.8.0.0/16"), IPNetwork.Parse("2606:4700::/32")];
        var verdict = AddressClassifier.Classify(text, new AddressRules(allowlist, refuseDocumentation));
        if (verdict.Blockable is not { } blockable)
            return verdict.Refusal is { Length: > 0 };
        var network = IPNetwork.Parse(blockable.Cidr);
        return network.PrefixLength is 32 or 128
            && network.PrefixLength == (blockable.IsIpv6 ? 128 : 32)
            && !AddressGenerators.IsForbidden(blockable.Address, refuseDocumentation, allowlist)
            && !AddressGenerators.IsForbidden(IPAddress.Parse(text.Trim()), refuseDocumentation, allowlist);
    }

    public static class Arbitraries
    {
        public static Arbitrary<string> Addresses() => AddressGenerators.AddressText().ToArbitrary();
    }
}
