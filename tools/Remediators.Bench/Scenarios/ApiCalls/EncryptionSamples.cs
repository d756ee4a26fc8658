using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Remediators.Bench.Harness;
using static Remediators.Bench.Scenarios.ApiCalls.SampleParameters;

namespace Remediators.Bench.Scenarios.ApiCalls;

/// <summary>
/// Bucket samples get their own bucket in the state the API call left it (no encryption, SSE-S3, a policy without our
/// TLS-only statement); EBS samples find encryption by default turned off; a volume event has nothing to seed.
/// </summary>
internal sealed class EncryptionSamples : ISampleSeeds
{
    private const string SampleBucket = "remediators-example-bucket";

    public string Folder => "encryption-enforcer";

    public string Function => "EncryptionEnforcer";

    public async Task<SampleRun?> PrepareAsync(BenchAccount account, string sample, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, sample);
        switch (sample)
        {
            case "create-bucket.json" or "delete-bucket-encryption.json" or "delete-bucket-policy.json" or "config-s3-bucket-ssl-requests-only-noncompliant.json":
                return Run(account.Sample(path, (SampleBucket, await CreateBucketAsync(account, cancellationToken))), "Remediated");
            case "put-bucket-encryption-aes256.json":
                var sseS3 = await CreateBucketAsync(account, cancellationToken);
                await S3(account).PutBucketEncryptionAsync(new PutBucketEncryptionRequest
                {
                    BucketName = sseS3,
                    ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
                    {
                        ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256 } }],
                    },
                }, cancellationToken);
                return Run(account.Sample(path, (SampleBucket, sseS3)), "Remediated");
            case "put-bucket-policy.json":
                var withPolicy = await CreateBucketAsync(account, cancellationToken);
                await S3(account).PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = withPolicy, Policy = CloudFrontReadPolicy(withPolicy) }, cancellationToken);
                return Run(account.Sample(path, (SampleBucket, withPolicy)), "Remediated");
            case "disable-ebs-encryption-by-default.json" or "reset-ebs-default-kms-key-id.json" or "config-ec2-ebs-encryption-by-default-noncompliant.json":
                var ec2 = account.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(BenchAccount.Region, (c, config) => new AmazonEC2Client(c, config));
                await ec2.DisableEbsEncryptionByDefaultAsync(new DisableEbsEncryptionByDefaultRequest(), cancellationToken);
                return Run(account.Sample(path), "Remediated");
            case "config-encrypted-volumes-noncompliant.json":
                // A volume cannot be encrypted in place: it is only reported.
                return Run(account.Sample(path), "AlreadyCompliant");
            default:
                return null;
        }
    }

    private SampleRun Run(string eventJson, string expectedStatus) => new(new BenchInvocation(Function, eventJson, Enforce()), expectedStatus);

    private static async Task<string> CreateBucketAsync(BenchAccount account, CancellationToken cancellationToken)
    {
        var bucket = Unique("bench-bucket");
        await S3(account).PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        return bucket;
    }

    private static string CloudFrontReadPolicy(string bucket) => $$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"AllowCloudFrontRead","Effect":"Allow",
        "Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}
        """;

    private static AmazonS3Client S3(BenchAccount account) =>
        account.Clients.Sdk<AmazonS3Client, AmazonS3Config>(BenchAccount.Region, (c, config) => new AmazonS3Client(c, config));
}
