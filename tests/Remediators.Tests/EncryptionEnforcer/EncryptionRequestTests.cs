using EncryptionEnforcer;
using Remediators.Core.Events;

namespace Remediators.Tests.EncryptionEnforcer;

public sealed class EncryptionRequestTests
{
    private static readonly EncryptionEnforcerSettings Settings = new();

    private static EncryptionRequest FromSample(string name, Func<string, string>? edit = null)
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Events, "encryption-enforcer", name));
        var parsed = EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(edit?.Invoke(json) ?? json));
        return EncryptionRequest.From(parsed.Trigger ?? throw new InvalidOperationException(parsed.Rejection), Settings);
    }

    [Theory]
    [InlineData("create-bucket.json", "CloudTrail CreateBucket")]
    [InlineData("put-bucket-encryption-aes256.json", "CloudTrail PutBucketEncryption")]
    [InlineData("delete-bucket-encryption.json", "CloudTrail DeleteBucketEncryption")]
    [InlineData("put-bucket-policy.json", "CloudTrail PutBucketPolicy")]
    [InlineData("delete-bucket-policy.json", "CloudTrail DeleteBucketPolicy")]
    [InlineData("config-s3-bucket-ssl-requests-only-noncompliant.json", "Config rule s3-bucket-ssl-requests-only")]
    public void From_EachBucketSample_AsksAboutThatBucketAsItsOwnerSees(string sample, string cause) =>
        Assert.Equal(new EncryptionRequest.Bucket("remediators-example-bucket", "123456789012", "us-east-1", cause), FromSample(sample));

    [Theory]
    [InlineData("disable-ebs-encryption-by-default.json")]
    [InlineData("reset-ebs-default-kms-key-id.json")]
    [InlineData("config-ec2-ebs-encryption-by-default-noncompliant.json")]
    public void From_EachEbsSample_AsksAboutTheEventsRegion(string sample)
    {
        var request = Assert.IsType<EncryptionRequest.EbsRegion>(FromSample(sample, json => json.Replace("us-east-1", "eu-central-2", StringComparison.Ordinal)));

        Assert.Equal(("123456789012", "eu-central-2", "aws"), (request.Account, request.Region, request.Partition));
    }

    [Fact]
    public void From_AnUnencryptedVolume_OnlyReportsIt() =>
        Assert.Equal(new EncryptionRequest.UnencryptedVolume("vol-0a1b2c3d4e5f67890", "encrypted-volumes"), FromSample("config-encrypted-volumes-noncompliant.json"));

    [Fact]
    public void From_ACallThatFailed_HasNothingToDo()
    {
        var request = FromSample("put-bucket-policy.json",
            json => json.Replace("\"eventName\": \"PutBucketPolicy\",", "\"eventName\": \"PutBucketPolicy\", \"errorCode\": \"MalformedPolicy\",", StringComparison.Ordinal));

        Assert.Contains("MalformedPolicy", Assert.IsType<EncryptionRequest.NothingToDo>(request).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void From_AComplianceChangeToCompliant_HasNothingToDo() =>
        Assert.IsType<EncryptionRequest.NothingToDo>(FromSample("config-s3-bucket-ssl-requests-only-noncompliant.json",
            json => json.Replace("\"complianceType\": \"NON_COMPLIANT\"", "\"complianceType\": \"COMPLIANT\"", StringComparison.Ordinal)));

    [Theory]
    [InlineData("create-bucket.json", "\"bucketName\": \"remediators-example-bucket\"", "\"bucketName\": \"evil\\\", \\\"Resource\\\": \\\"*\"")]
    [InlineData("create-bucket.json", "\"eventSource\": \"s3.amazonaws.com\"", "\"eventSource\": \"s3express.amazonaws.com\"")]
    [InlineData("create-bucket.json", "\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"us-east-1/../x\"")]
    [InlineData("disable-ebs-encryption-by-default.json", "\"eventName\": \"DisableEbsEncryptionByDefault\"", "\"eventName\": \"CreateVolume\"")]
    [InlineData("config-encrypted-volumes-noncompliant.json", "\"resourceId\": \"vol-0a1b2c3d4e5f67890\"", "\"resourceId\": \"i-0a1b2c3d4e5f67890\"")]
    [InlineData("config-s3-bucket-ssl-requests-only-noncompliant.json", "\"awsAccountId\": \"123456789012\"", "\"awsAccountId\": \"210987654321\"")]
    [InlineData("config-ec2-ebs-encryption-by-default-noncompliant.json", "\"resourceType\": \"AWS::::Account\"", "\"resourceType\": \"AWS::RDS::DBInstance\"")]
    public void From_AnEventItCannotTrust_IsRefused(string sample, string original, string replacement) =>
        Assert.IsType<EncryptionRequest.Refused>(FromSample(sample, json => json.Replace(original, replacement, StringComparison.Ordinal)));

    // Found by the fuzzing suite: the account becomes the ExpectedBucketOwner header, the region picks the endpoint, the bucket
    // name goes into the request (a final newline passed the patterns' $ and broke the signature).
    [Theory]
    [InlineData("\"account\": \"123456789012\"", "\"account\": \"123456789012\u200B\"", "is not an AWS account id")]
    [InlineData("\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"us-east-\uFF11\"", "is not an AWS region")]
    [InlineData("\"account\": \"123456789012\"", "\"account\": \"123456789012\\n\"", "is not an AWS account id")]
    [InlineData("\"bucketName\": \"remediators-example-bucket\"", "\"bucketName\": \"remediators-example-bucket\\n\"", "is not an S3 bucket name")]
    public void From_AnAccountRegionOrBucketNameAwsWouldNotSend_IsRefused(string field, string odd, string reason)
    {
        var request = FromSample("create-bucket.json", json => json.Replace(field, odd, StringComparison.Ordinal));

        Assert.Contains(reason, Assert.IsType<EncryptionRequest.Refused>(request).Reason, StringComparison.Ordinal);
    }
}
