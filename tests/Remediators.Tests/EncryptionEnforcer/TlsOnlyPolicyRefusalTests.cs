using EncryptionEnforcer;

namespace Remediators.Tests.EncryptionEnforcer;

/// <summary>Why a bucket policy is not rewritten, and the 20 KB limit counted inclusively as S3 does.</summary>
public sealed class TlsOnlyPolicyRefusalTests
{
    private const string Bucket = "example-bucket";
    private static readonly string Ours = TlsOnlyPolicy.Statement(Bucket, "aws");

    [Fact]
    public void Merge_WithAPolicyThatIsNotJson_SaysSoWithTheParserMessage()
    {
        var refused = Assert.IsType<PolicyMerge.Refused>(TlsOnlyPolicy.Merge("not json at all", Bucket, "aws"));

        Assert.StartsWith("the bucket policy is not JSON ('", refused.Reason, StringComparison.Ordinal);
        Assert.EndsWith("); not rewriting it", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_WithoutAStatementList_SaysSo() =>
        Assert.Equal("the bucket policy has no single Statement list; not rewriting it",
            Assert.IsType<PolicyMerge.Refused>(TlsOnlyPolicy.Merge("""{"Version":"2012-10-17"}""", Bucket, "aws")).Reason);

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void Merge_AResultOfExactly20480Bytes_IsWritten_OneMoreIsRefused(int bytesOverLimit, bool written)
    {
        var policy = PolicyMergingTo(TlsOnlyPolicy.MaxPolicyBytes + bytesOverLimit);

        var merge = TlsOnlyPolicy.Merge(policy.Existing, Bucket, "aws");

        Assert.Equal(written, merge is PolicyMerge.Updated { Policy: var p } && p == policy.Merged);
        Assert.Equal(!written, merge is PolicyMerge.Refused);
    }

    // One ASCII statement of theirs padded so that theirs followed by ours is exactly `bytes` long.
    private static (string Existing, string Merged) PolicyMergingTo(int bytes)
    {
        string Theirs(string pad) => $$"""{"Sid":"Big","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/{{pad}}"}""";
        string Merged(string theirs) => $$"""{"Version":"2012-10-17","Statement":[{{theirs}},{{Ours}}]}""";
        var pad = new string('x', bytes - Merged(Theirs("")).Length);
        return ($$"""{"Version":"2012-10-17","Statement":[{{Theirs(pad)}}]}""", Merged(Theirs(pad)));
    }
}
