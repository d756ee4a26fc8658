using Remediators.Core.Blocklist;

namespace Remediators.Tests.Blocklist;

/// <summary>Pins the literal forms the classifier refuses, the text it echoes back, and the documentation-range switch for IPv6.</summary>
public sealed class AddressClassifierStrictFormTests
{
    private const string NotPlain = "not a plain IPv4 or IPv6 host address";

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("  ", "  ")]
    public void Classify_NoAddress_IsRefusedAsEmpty_KeepingTheTextAsGiven(string? text, string expectedText)
    {
        var verdict = AddressClassifier.Classify(text, AddressRules.Default);

        Assert.Equal(new AddressVerdict(expectedText, null, "empty address"), verdict);
    }

    [Theory]
    [InlineData("2606:4700:4700::1111/128")]
    [InlineData("2606:4700:4700::1111/64")]
    [InlineData("2606:4700:4700::1111%1")]
    [InlineData("2606:zzzz::1")]
    [InlineData("256.1.1.1")]
    [InlineData("8.8.8.300")]
    public void Classify_APrefixZoneOrOctetOver255_IsNotAPlainHostAddress(string text) =>
        Assert.Equal(new AddressVerdict(text, null, NotPlain), AddressClassifier.Classify(text, AddressRules.Default));

    [Theory]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("3fff::1", "3fff::1/128")]
    [InlineData("192.0.2.1", "192.0.2.1/32")]
    public void Classify_DocumentationAddresses_AreBlockableWhenDocumentationRangesAreNotRefused(string text, string cidr)
    {
        var verdict = AddressClassifier.Classify(text, new AddressRules([], RefuseDocumentationRanges: false));

        Assert.Equal(cidr, verdict.Blockable?.Cidr);
        Assert.Null(verdict.Refusal);
    }
}
