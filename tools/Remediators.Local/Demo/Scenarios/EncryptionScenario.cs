using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;

namespace Remediators.Local.Demo.Scenarios;

/// <summary>
/// An unencrypted assets bucket whose policy lets CloudFront read it, and a region with EBS encryption by default off.
/// The enforcer adds default encryption and its TLS-only statement, keeps CloudFront's statement byte for byte, and
/// turns EBS encryption by default on.
/// </summary>
internal sealed class EncryptionScenario : IDemoScenario
{
    private const string Bucket = "web-assets-demo";
    private const string SampleBucket = "remediators-example-bucket";
    private const string TlsOnlySid = "RemediatorsDenyInsecureTransport";
    private const string EbsResource = "EBS in " + DemoAccount.Region;
    private const string EbsItem = "encryption by default";
    private const string OurStatement = "policy: TLS-only statement (ours)";

    public string Description => $"bucket {Bucket}: unencrypted, with its own policy; EBS encryption by default off";

    public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

    public IReadOnlyList<ExpectedItem> ExpectedChanges =>
    [
        new($"bucket {Bucket}", "default encryption", "AES256"),
        new($"bucket {Bucket}", OurStatement, "present"),
        new(EbsResource, EbsItem, "on"),
    ];

    public async Task SeedAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var s3 = S3(account);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, cancellationToken);
        await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = Bucket, Policy = CloudFrontReadPolicy() }, cancellationToken);
        if ((await account.Ec2.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest(), cancellationToken)).EbsEncryptionByDefault == true)
            await account.Ec2.DisableEbsEncryptionByDefaultAsync(new DisableEbsEncryptionByDefaultRequest(), cancellationToken);
    }

    public IReadOnlyList<(string Label, string Json)> Events(DemoAccount account) =>
    [
        ($"CreateBucket {Bucket}", account.SampleEvent("encryption-enforcer/create-bucket.json", (SampleBucket, Bucket))),
        ($"PutBucketPolicy {Bucket}", account.SampleEvent("encryption-enforcer/put-bucket-policy.json", (SampleBucket, Bucket))),
        ("DisableEbsEncryptionByDefault", account.SampleEvent("encryption-enforcer/disable-ebs-encryption-by-default.json")),
    ];

    public async Task<IReadOnlyList<ResourceState>> SnapshotAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var s3 = S3(account);
        var states = new List<ResourceState>();
        foreach (var bucket in (await s3.ListBucketsAsync(cancellationToken)).Buckets ?? [])
        {
            var items = new Dictionary<string, string> { ["default encryption"] = await EncryptionAsync(s3, bucket.BucketName, cancellationToken) };
            foreach (var (sid, text) in await StatementsAsync(s3, bucket.BucketName, cancellationToken))
                items[sid == TlsOnlySid ? OurStatement : $"policy: statement {sid}"] = sid == TlsOnlySid ? "present" : Fingerprint(text);
            states.Add(new ResourceState($"bucket {bucket.BucketName}", items));
        }
        var ebs = await account.Ec2.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest(), cancellationToken);
        states.Add(new ResourceState(EbsResource, new Dictionary<string, string> { [EbsItem] = ebs.EbsEncryptionByDefault == true ? "on" : "off" }));
        return states;
    }

    private static AmazonS3Client S3(DemoAccount account) =>
        account.Clients.Sdk<AmazonS3Client, AmazonS3Config>(DemoAccount.Region, (c, config) => new AmazonS3Client(c, config));

    private static string CloudFrontReadPolicy() => $$"""
        {"Version":"2012-10-17","Statement":[{"Sid":"AllowCloudFrontRead","Effect":"Allow",
        "Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{Bucket}}/*"}]}
        """;

    // The SDK answers "no configuration" (404) as an empty response rather than an exception.
    private static async Task<string> EncryptionAsync(AmazonS3Client s3, string bucket, CancellationToken cancellationToken)
    {
        var rule = (await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken))
            .ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault()?.ServerSideEncryptionByDefault;
        return rule?.ServerSideEncryptionAlgorithm?.Value ?? "none";
    }

    /// <summary>Each statement's Sid with its JSON text; the SDK answers "no policy" as a 404 response.</summary>
    private static async Task<List<(string Sid, string Text)>> StatementsAsync(AmazonS3Client s3, string bucket, CancellationToken cancellationToken)
    {
        var response = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }, cancellationToken);
        if (response.HttpStatusCode == HttpStatusCode.NotFound || string.IsNullOrEmpty(response.Policy))
            return [];
        using var policy = JsonDocument.Parse(response.Policy);
        return [.. policy.RootElement.GetProperty("Statement").EnumerateArray()
            .Select((s, i) => (s.TryGetProperty("Sid", out var sid) ? sid.GetString() ?? $"#{i + 1}" : $"#{i + 1}", s.GetRawText()))];
    }

    /// <summary>Enough of the statement text's SHA-256 to show it was kept byte for byte.</summary>
    private static string Fingerprint(string text) => "sha " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
}
