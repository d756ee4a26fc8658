using EncryptionEnforcer;

namespace Remediators.Tests.EncryptionEnforcer;

public sealed class KmsKeyArnTests
{
    [Theory]
    [InlineData("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "aws", "us-east-1")]
    [InlineData("arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab", "aws-cn", "cn-north-1")]
    [InlineData("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "aws-us-gov", "us-gov-west-1")]
    public void Parse_AFullKeyArn_ReadsPartitionAndRegion(string arn, string partition, string region)
    {
        var key = KmsKeyArn.Parse(arn);

        Assert.Equal((partition, region, "123456789012"), (key?.Partition, key?.Region, key?.Account));
    }

    [Fact]
    public void Parse_AFullKeyArn_KeepsTheArnAndReadsTheKeyId()
    {
        const string arn = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";

        Assert.Equal((arn, "mrk-1234abcd12ab34cd56ef1234567890ab"), (KmsKeyArn.Parse(arn)?.Arn, KmsKeyArn.Parse(arn)?.KeyId));
    }

    [Theory]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab")]
    [InlineData("alias/data")]
    [InlineData("arn:aws:kms:us-east-1:123456789012:alias/data")]
    [InlineData("arn:aws:kms:us-east-1:12345678901:key/1234abcd")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\n")]
    [InlineData("arn:aws:kms:us-east-1:١٢٣٤٥٦٧٨٩٠١٢:key/1234abcd-12ab-34cd-56ef-1234567890ab")]
    public void Parse_AnythingButAFullKeyArn_IsNull(string text) => Assert.Null(KmsKeyArn.Parse(text));

    [Fact]
    public void UnusableIn_NamesTheMismatch_AndIsNullInTheKeysOwnRegion()
    {
        var key = KmsKeyArn.Parse("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")!;

        Assert.Null(key.UnusableIn("eu-west-1", "aws"));
        Assert.Contains("eu-west-1", key.UnusableIn("eu-central-1", "aws"), StringComparison.Ordinal);
        Assert.Contains("partition", key.UnusableIn("eu-west-1", "aws-cn"), StringComparison.Ordinal);
    }
}
