using System.Text;
using Remediators.Core.Aws;

namespace Remediators.Tests.Core;

public sealed class AwsErrorParserTests
{
    [Theory]
    [InlineData("""{"__type":"com.amazonaws.wafv2#WAFOptimisticLockException","Message":"stale"}""", null, "WAFOptimisticLockException", "stale")]
    [InlineData("""{"message":"slow down"}""", "ThrottlingException:http://internal.amazon.com/", "ThrottlingException", "slow down")]
    [InlineData("""<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Code>NoSuchEntity</Code><Message>no user</Message></Error></ErrorResponse>""", null, "NoSuchEntity", "no user")]
    [InlineData("  <?xml version=\"1.0\"?><Response><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error></Errors></Response>", null, "SignatureDoesNotMatch", "m")]
    [InlineData("not json or xml", null, "Unknown", "")]
    public void Parse_ReadsCodeAndMessageFromJsonOrXml(string body, string? header, string code, string message) =>
        Assert.Equal((code, message), AwsErrorParser.Parse(Encoding.UTF8.GetBytes(body), header));

    [Fact]
    public void IpSetReference_FromArn_ReadsNameScopeAndId()
    {
        var set = IpSetReference.FromArn("arn:aws:wafv2:us-east-1:123456789012:global/ipset/attackers-v4/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111");

        Assert.Equal(new IpSetReference("attackers-v4", "CLOUDFRONT", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"), set);
    }

    [Theory]
    [InlineData("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/name/id")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("not-an-arn")]
    public void IpSetReference_FromArn_RefusesOtherArns(string arn) =>
        Assert.Throws<FormatException>(() => IpSetReference.FromArn(arn));
}
