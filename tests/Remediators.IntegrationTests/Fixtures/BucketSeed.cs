using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>Seeds and reads S3 buckets and EBS settings in moto through the SDK clients production uses.</summary>
public static class BucketSeed
{
    public static AmazonS3Client S3(this MotoServer moto) =>
        moto.Clients.Sdk<AmazonS3Client, AmazonS3Config>(MotoServer.Region, (c, config) => new AmazonS3Client(c, config));

    public static async Task<string> CreateBucketAsync(this MotoServer moto, string name, params (string Key, string Value)[] tags)
    {
        await moto.S3().PutBucketAsync(new PutBucketRequest { BucketName = name });
        if (tags.Length > 0)
            await moto.S3().PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = name, TagSet = [.. tags.Select(t => new Amazon.S3.Model.Tag { Key = t.Key, Value = t.Value })] });
        return name;
    }

    public static Task PutEncryptionAsync(this MotoServer moto, string bucket, string algorithm, string? kmsKeyId = null, bool bucketKey = false) =>
        moto.S3().PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                        {
                            ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.FindValue(algorithm),
                            ServerSideEncryptionKeyManagementServiceKeyId = kmsKeyId,
                        },
                        BucketKeyEnabled = bucketKey,
                    },
                ],
            },
        });

    /// <summary>The bucket's default encryption rule, or null when it has none.</summary>
    /// <remarks>The SDK answers GetBucketEncryption's 404 (no configuration) as an empty response.</remarks>
    public static async Task<ServerSideEncryptionRule?> EncryptionAsync(this MotoServer moto, string bucket) =>
        (await moto.S3().GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }))
            .ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.Single();

    public static Task PutPolicyAsync(this MotoServer moto, string bucket, string policy) =>
        moto.S3().PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = policy });

    /// <remarks>The SDK answers GetBucketPolicy's 404 (no policy) as a response whose "policy" is the error body.</remarks>
    public static async Task<string?> PolicyAsync(this MotoServer moto, string bucket)
    {
        var response = await moto.S3().GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket });
        return response.HttpStatusCode == System.Net.HttpStatusCode.NotFound ? null : response.Policy;
    }

    public static async Task<bool> EbsEncryptedByDefaultAsync(this MotoServer moto, string region) =>
        (await moto.Ec2(region).GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault ?? false;

    /// <summary>Puts the region in the drifted state the enforcer must repair.</summary>
    public static Task DisableEbsEncryptionByDefaultAsync(this MotoServer moto, string region) =>
        moto.Ec2(region).DisableEbsEncryptionByDefaultAsync(new DisableEbsEncryptionByDefaultRequest());
}
