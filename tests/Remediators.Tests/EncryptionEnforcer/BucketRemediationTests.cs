using EncryptionEnforcer;
using Remediators.Core.Remediation;

namespace Remediators.Tests.EncryptionEnforcer;

/// <summary>Each bucket change tells the person on call how to put the previous setting back, and a failure keeps what was done.</summary>
public sealed class BucketRemediationTests
{
    private const string Bucket = "reports-bucket";
    private static readonly KmsKeyArn Key = KmsKeyArn.Parse("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")!;
    private static readonly BucketEncryption Compliant = new(EncryptionPolicy.Kms, Key.Arn, true, []);

    private static async Task<IReadOnlyList<Change>> ChangesAsync(BucketEncryption? encryption, string? policy)
    {
        var result = await RunAsync(new Buckets(encryption, policy));
        return result.Changes;
    }

    [Fact]
    public async Task Changes_WhenABucketHadNoDefaultEncryption_TellHowToDeleteTheOneSet()
    {
        var changes = await ChangesAsync(null, TlsOnly());

        Assert.Equal("There was no default encryption before: aws s3api delete-bucket-encryption --bucket reports-bucket", Assert.Single(changes).HowToUndo);
    }

    [Fact]
    public async Task Changes_WhenABucketHadAnotherDefaultEncryption_TellHowToPutItBack()
    {
        var changes = await ChangesAsync(new BucketEncryption(EncryptionPolicy.Aes256, null, false, []), TlsOnly());

        Assert.Equal(
            "Put back the previous default encryption: aws s3api put-bucket-encryption --bucket reports-bucket --server-side-encryption-configuration " +
            "'{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"AES256\"},\"BucketKeyEnabled\":false}]}'",
            Assert.Single(changes).HowToUndo);
    }

    [Fact]
    public async Task Changes_WhenABucketHadNoPolicy_TellHowToDeleteTheOneAdded()
    {
        var changes = await ChangesAsync(Compliant, null);

        Assert.Equal("There was no bucket policy before: aws s3api delete-bucket-policy --bucket reports-bucket", Assert.Single(changes).HowToUndo);
    }

    [Fact]
    public async Task Changes_WhenTheStatementIsMergedIntoAPolicy_TellHowToPutThePreviousPolicyBackOrRemoveTheStatement()
    {
        const string previous = """{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports-bucket/*"}]}""";

        var change = Assert.Single(await ChangesAsync(Compliant, previous));

        Assert.Equal(
            "Put the previous bucket policy back (or remove only the statement with Sid RemediatorsDenyInsecureTransport): " +
            $"aws s3api put-bucket-policy --bucket reports-bucket --policy '{previous}'",
            change.HowToUndo);
        Assert.Equal(previous, change.Undo["previousPolicy"]);
    }

    private static string TlsOnly() => $$"""{"Version":"2012-10-17","Statement":[{{TlsOnlyPolicy.Statement(Bucket, "aws")}}]}""";

    [Fact]
    public async Task Run_WhenThePolicyWriteFailsAfterTheEncryptionWrite_FailsTheBucketAndKeepsTheEncryptionChangeWithItsUndo()
    {
        var denied = new Amazon.S3.AmazonS3Exception("Access Denied") { ErrorCode = "AccessDenied" };

        var result = await RunAsync(new Buckets(null, null, putPolicyError: denied));

        Assert.Equal((OutcomeStatus.Failed, "AccessDenied"), (result.Status, result.Error));
        Assert.StartsWith("failed while writing the TLS-only bucket policy: Access Denied", result.Reason, StringComparison.Ordinal);
        var kept = Assert.Single(result.Changes);
        Assert.Equal((BucketRemediation.SetEncryptionAction, "none"), (kept.Action, kept.Undo["previousEncryption"]));
    }

    [Fact]
    public async Task Run_WhenTheBucketHostsAWebsite_SetsEncryptionButLeavesThePolicyForAPerson()
    {
        var buckets = new Buckets(null, null, website: true);

        var result = await RunAsync(buckets);

        Assert.Equal(OutcomeStatus.Failed, result.Status);
        Assert.Null(result.Error);
        Assert.Contains(BucketRemediation.WebsiteRefusal, result.Reason, StringComparison.Ordinal);
        Assert.Equal([BucketRemediation.SetEncryptionAction], result.Changes.Select(c => c.Action));
        Assert.Equal(0, buckets.PolicyWrites);
    }

    private static Task<ResourceResult> RunAsync(Buckets buckets) =>
        new BucketRemediation(new EncryptionEnforcerSettings { S3Encryption = RequiredEncryption.SseKms(Key) }, buckets, new NoKeys(), dryRun: false)
            .RunAsync(new EncryptionRequest.Bucket(Bucket, "123456789012", "eu-west-1", "test"), CancellationToken.None);

    private sealed class Buckets(BucketEncryption? encryption, string? policy, bool website = false, Exception? putPolicyError = null) : IBucketGateway
    {
        public Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string bucket, string owner, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

        public Task<BucketEncryption?> GetEncryptionAsync(string bucket, string owner, CancellationToken cancellationToken) => Task.FromResult(encryption);

        public Task PutEncryptionAsync(string bucket, string owner, BucketEncryption encryption, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<string?> GetPolicyAsync(string bucket, string owner, CancellationToken cancellationToken) => Task.FromResult(policy);

        public int PolicyWrites { get; private set; }

        public Task PutPolicyAsync(string bucket, string owner, string policy, CancellationToken cancellationToken)
        {
            PolicyWrites++;
            return putPolicyError is null ? Task.CompletedTask : Task.FromException(putPolicyError);
        }

        public Task<bool> HasWebsiteAsync(string bucket, string owner, CancellationToken cancellationToken) => Task.FromResult(website);
    }

    private sealed class NoKeys : IKmsKeyGateway
    {
        public Task<KeyFacts> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the bucket's key is the configured one, so KMS is not asked");
    }
}
