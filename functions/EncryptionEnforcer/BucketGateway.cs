using System.Net;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using Remediators.Core.Aws;

namespace EncryptionEnforcer;

/// <summary>The S3 verbs the enforcer calls, translated into our records and meanings; every call passes the expected owner.</summary>
public interface IBucketGateway
{
    /// <summary>The bucket's tags (none when it has no tag set).</summary>
    Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string bucket, string owner, CancellationToken cancellationToken);

    /// <summary>The default encryption rule, or null when the bucket has none (or, see the gateway, no longer exists).</summary>
    Task<BucketEncryption?> GetEncryptionAsync(string bucket, string owner, CancellationToken cancellationToken);

    Task PutEncryptionAsync(string bucket, string owner, BucketEncryption encryption, CancellationToken cancellationToken);

    /// <summary>The policy text, or null when the bucket has no policy.</summary>
    Task<string?> GetPolicyAsync(string bucket, string owner, CancellationToken cancellationToken);

    Task PutPolicyAsync(string bucket, string owner, string policy, CancellationToken cancellationToken);

    /// <summary>Whether the bucket has a static website configuration (its website endpoint serves HTTP only).</summary>
    Task<bool> HasWebsiteAsync(string bucket, string owner, CancellationToken cancellationToken);
}

/// <summary>The bucket was deleted (or never existed): there is nothing left to protect.</summary>
public sealed class BucketGoneException(string bucket, Exception cause) : Exception($"bucket {bucket} does not exist", cause);

/// <remarks>
/// The SDK answers a 404 from GetBucketEncryption and GetBucketPolicy as a response, not an exception: the encryption
/// response then carries no error code (a bucket gone shows at the next call), the policy response carries the error body.
/// </remarks>
public sealed class BucketGateway(IAmazonS3 s3) : IBucketGateway
{
    public static readonly string[] IamActions =
    [
        "s3:GetBucketTagging", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration", "s3:GetBucketPolicy", "s3:GetBucketWebsite",
    ];

    /// <summary>Bucket policies are written only while the TLS-only statement is wanted.</summary>
    public static readonly FeatureActions TlsOnlyPolicyActions = new("TlsOnlyBucketPolicyOn", ["s3:PutBucketPolicy"]);

    public async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string bucket, string owner, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Call(bucket, () => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket, ExpectedBucketOwner = owner }, cancellationToken));
            return (response.TagSet ?? []).ToDictionary(t => t.Key, t => t.Value ?? "", StringComparer.Ordinal);
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "NoSuchTagSet")
        {
            return new Dictionary<string, string>();
        }
    }

    public async Task<BucketEncryption?> GetEncryptionAsync(string bucket, string owner, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Call(bucket, () => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket, ExpectedBucketOwner = owner }, cancellationToken));
            if (response.HttpStatusCode == HttpStatusCode.NotFound)
                return null;
            var rule = response.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault(r => r.ServerSideEncryptionByDefault is not null);
            return rule is null ? null : new BucketEncryption(
                rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm?.Value ?? "",
                rule.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId is { Length: > 0 } key ? key : null,
                rule.BucketKeyEnabled ?? false,
                [.. rule.BlockedEncryptionTypes?.EncryptionType ?? []]);
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "ServerSideEncryptionConfigurationNotFoundError")
        {
            return null;
        }
    }

    public Task PutEncryptionAsync(string bucket, string owner, BucketEncryption encryption, CancellationToken cancellationToken)
    {
        var rule = new ServerSideEncryptionRule
        {
            ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
            {
                ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.FindValue(encryption.Algorithm),
                ServerSideEncryptionKeyManagementServiceKeyId = encryption.KmsKeyId,
            },
            BucketKeyEnabled = encryption.BucketKeyEnabled,
        };
        if (encryption.BlockedEncryptionTypes.Count > 0)
            rule.BlockedEncryptionTypes = new BlockedEncryptionTypes { EncryptionType = [.. encryption.BlockedEncryptionTypes] };
        return Call(bucket, () => s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ExpectedBucketOwner = owner,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration { ServerSideEncryptionRules = [rule] },
        }, cancellationToken));
    }

    public async Task<string?> GetPolicyAsync(string bucket, string owner, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Call(bucket, () => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket, ExpectedBucketOwner = owner }, cancellationToken));
            if (response.HttpStatusCode == HttpStatusCode.NotFound)
            {
                return ErrorCode(response.Policy) switch
                {
                    "NoSuchBucketPolicy" => null,
                    "NoSuchBucket" => throw new BucketGoneException(bucket, new AmazonS3Exception(response.Policy)),
                    var code => throw new AmazonS3Exception($"GetBucketPolicy answered 404 {code ?? "without an error code"}"),
                };
            }
            return string.IsNullOrWhiteSpace(response.Policy) ? null : response.Policy;
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "NoSuchBucketPolicy")
        {
            return null;
        }
    }

    public Task PutPolicyAsync(string bucket, string owner, string policy, CancellationToken cancellationToken) =>
        Call(bucket, () => s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, ExpectedBucketOwner = owner, Policy = policy }, cancellationToken));

    public async Task<bool> HasWebsiteAsync(string bucket, string owner, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Call(bucket, () => s3.GetBucketWebsiteAsync(new GetBucketWebsiteRequest { BucketName = bucket, ExpectedBucketOwner = owner }, cancellationToken));
            return response.HttpStatusCode != HttpStatusCode.NotFound && response.WebsiteConfiguration is not null;
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "NoSuchWebsiteConfiguration")
        {
            return false;
        }
    }

    private static string? ErrorCode(string? errorBody)
    {
        try
        {
            return errorBody is null ? null : XDocument.Parse(errorBody).Root?.Element("Code")?.Value;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static async Task<T> Call<T>(string bucket, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "NoSuchBucket")
        {
            throw new BucketGoneException(bucket, error);
        }
    }
}
