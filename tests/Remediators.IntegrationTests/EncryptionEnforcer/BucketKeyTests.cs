using Amazon.S3.Model;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.EncryptionEnforcer;

/// <summary>
/// The built EncryptionEnforcer with a central key against buckets on other keys in moto's KMS: the algorithm is never
/// lowered, a bucket's own usable customer key stays, and only an AWS managed, foreign, missing, disabled or
/// pending-deletion key is replaced. Website buckets get no TLS-only deny.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class BucketKeyTests(MotoServer moto)
{
    private const string Function = "EncryptionEnforcer";
    private const string SampleBucket = "remediators-example-bucket";
    private const string ForeignKey = "arn:aws:kms:us-east-1:210987654321:key/0000aaaa-0000-0000-0000-000000000000";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Bucket_OnItsOwnCustomerKey_IsLeftAloneAndReported()
    {
        var central = await moto.CreateKeyAsync("central");
        var team = await moto.CreateKeyAsync("team");
        await moto.CreateAliasAsync($"alias/team-{_run}", team);
        var byArn = await BucketOnAsync("team-arn", "aws:kms", team);
        var byAlias = await BucketOnAsync("team-alias", "aws:kms:dsse", $"alias/team-{_run}");

        foreach (var (bucket, named) in new[] { (byArn, team), (byAlias, $"alias/team-{_run}") })
        {
            var recording = await moto.StartRecordingAsync();

            var answer = await InvokeAsync(bucket, central);

            Assert.DoesNotContain(await recording.StopAsync(), op => op.StartsWith("PUT ", StringComparison.Ordinal));
            Assert.Equal("AlreadyCompliant", answer.Status);
            Assert.Contains($"left alone: ", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(named, (await moto.EncryptionAsync(bucket))?.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        }
    }

    [Fact]
    public async Task Bucket_OnAnAliasOfTheCentralKey_IsAlreadyCompliant()
    {
        var central = await moto.CreateKeyAsync("central");
        await moto.CreateAliasAsync($"alias/central-{_run}", central);
        var bucket = await BucketOnAsync("central-alias", "aws:kms", $"alias/central-{_run}");

        var answer = await InvokeAsync(bucket, central);

        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Contains("uses the configured key", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?> ReplacedKeys => new()
    {
        { "aws-managed", "aws:kms", null },
        { "dual-layer-aws-managed", "aws:kms:dsse", null },
        { "foreign", "aws:kms", ForeignKey },
        { "missing", "aws:kms", "alias/no-such-key" },
        { "disabled", "aws:kms", "disabled" },
        { "pending-deletion", "aws:kms:dsse", "pending-deletion" },
    };

    [Theory]
    [MemberData(nameof(ReplacedKeys))]
    public async Task Bucket_OnAReplaceableKey_GetsTheCentralKeyAndKeepsItsAlgorithm(string role, string algorithm, string? key)
    {
        var central = await moto.CreateKeyAsync("central");
        if (key is "disabled" or "pending-deletion")
        {
            var broken = await moto.CreateKeyAsync(role);
            await (key == "disabled" ? moto.DisableKeyAsync(broken) : moto.ScheduleKeyDeletionAsync(broken));
            key = broken;
        }
        var bucket = await BucketOnAsync(role, algorithm, key);

        var answer = await InvokeAsync(bucket, central);

        Assert.Equal("Remediated", answer.Status);
        var rule = await moto.EncryptionAsync(bucket);
        Assert.Equal((algorithm, central), (rule?.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm.Value, rule?.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId));
        Assert.Equal(algorithm == "aws:kms", rule?.BucketKeyEnabled);
    }

    [Fact]
    public async Task Bucket_HostingAWebsite_IsEncryptedButGetsNoTlsOnlyDenyAndIsReportedForAPerson()
    {
        var bucket = await moto.CreateBucketAsync($"enc-website-{_run}");
        await moto.S3().PutBucketWebsiteAsync(new PutBucketWebsiteRequest
        {
            BucketName = bucket, WebsiteConfiguration = new WebsiteConfiguration { IndexDocumentSuffix = "index.html" },
        });

        var answer = await moto.InvokeAsync(Function, LocalInvoke.SampleEvent(Path.Combine("encryption-enforcer", "create-bucket.json"), (SampleBucket, bucket)),
            new Dictionary<string, string> { ["Mode"] = "enforce" });

        Assert.Equal("Failed", answer.Status);
        Assert.Contains("static website", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Null(await moto.PolicyAsync(bucket));
        Assert.Equal("AES256", (await moto.EncryptionAsync(bucket))?.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm.Value);
    }

    private async Task<string> BucketOnAsync(string role, string algorithm, string? key)
    {
        var bucket = await moto.CreateBucketAsync($"enc-key-{role}-{_run}");
        await moto.PutEncryptionAsync(bucket, algorithm, key);
        return bucket;
    }

    private Task<FunctionAnswer> InvokeAsync(string bucket, string centralKey) =>
        moto.InvokeAsync(Function, LocalInvoke.SampleEvent(Path.Combine("encryption-enforcer", "put-bucket-encryption-aes256.json"), (SampleBucket, bucket)),
            new Dictionary<string, string> { ["Mode"] = "enforce", ["KmsKeyArn"] = centralKey, ["TlsOnlyBucketPolicy"] = "false" });
}
