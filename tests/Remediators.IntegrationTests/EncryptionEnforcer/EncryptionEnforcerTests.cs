using System.Text.Json;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.EncryptionEnforcer;

/// <summary>The built EncryptionEnforcer against moto: buckets and EBS settings are seeded and re-read through real AWS APIs.</summary>
[Collection(MotoCollection.Name)]
public sealed class EncryptionEnforcerTests(MotoServer moto)
{
    private const string Function = "EncryptionEnforcer";
    private const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string SampleBucket = "remediators-example-bucket";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Bucket_WhenUnencrypted_GetsSseKmsWithTheKeyAndABucketKey()
    {
        var bucket = await moto.CreateBucketAsync(Unique("plain"));

        var answer = await InvokeAsync(BucketEvent("create-bucket.json", bucket), new() { ["KmsKeyArn"] = KeyArn, ["TlsOnlyBucketPolicy"] = "false" });

        Assert.Equal("Remediated", answer.Status);
        var rule = await moto.EncryptionAsync(bucket);
        Assert.Equal("aws:kms", rule?.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm.Value);
        Assert.Equal(KeyArn, rule?.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(rule?.BucketKeyEnabled);
        var undo = Undo(answer, "PutBucketEncryption");
        Assert.Equal("none", undo.GetProperty("previousEncryption").GetString());
        Assert.Contains(KeyArn, undo.GetProperty("newEncryption").GetString(), StringComparison.Ordinal);
        Assert.Null(await moto.PolicyAsync(bucket));
    }

    [Fact]
    public async Task Bucket_WhenSseS3AndKmsIsRequired_IsUpgradedAndRecordsTheOldSetting()
    {
        var bucket = await moto.CreateBucketAsync(Unique("sse-s3"));
        await moto.PutEncryptionAsync(bucket, "AES256");

        var answer = await InvokeAsync(BucketEvent("put-bucket-encryption-aes256.json", bucket), new() { ["KmsKeyArn"] = KeyArn });

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(KeyArn, (await moto.EncryptionAsync(bucket))?.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        using var previous = JsonDocument.Parse(Undo(answer, "PutBucketEncryption").GetProperty("previousEncryption").GetString()!);
        Assert.Equal("AES256", previous.RootElement.GetProperty("Rules")[0].GetProperty("ApplyServerSideEncryptionByDefault").GetProperty("SSEAlgorithm").GetString());
    }

    [Fact]
    public async Task Bucket_WhenAlreadyAtTheRequiredSetting_MakesNoWrite()
    {
        var bucket = await moto.CreateBucketAsync(Unique("compliant"));
        await moto.PutEncryptionAsync(bucket, "aws:kms", KeyArn, bucketKey: false);
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Theirs","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"},{{OurStatement(bucket)}}]}""";
        await moto.PutPolicyAsync(bucket, policy);
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(BucketEvent("config-s3-bucket-ssl-requests-only-noncompliant.json", bucket), new() { ["KmsKeyArn"] = KeyArn });

        Assert.DoesNotContain(await recording.StopAsync(), IsWrite);
        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Equal(policy, await moto.PolicyAsync(bucket));
    }

    [Fact]
    public async Task Bucket_WithOtherStatements_AddsOursAndKeepsTheirsByteForByte()
    {
        var bucket = await moto.CreateBucketAsync(Unique("merge"));
        string[] theirs =
        [
            $$"""{ "Effect" : "Allow", "Sid": "ReadForAnalytics",  "Principal": {"AWS": ["arn:aws:iam::123456789012:role/Analytics"]}, "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::{{bucket}}", "arn:aws:s3:::{{bucket}}/*"] }""",
            """{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::BUCKET/audit/*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"sécurité+ops"}}}""".Replace("BUCKET", bucket, StringComparison.Ordinal),
        ];
        var original = $$"""{"Version": "2012-10-17", "Id": "their-policy", "Statement": [{{theirs[0]}}, {{theirs[1]}}]}""";
        await moto.PutPolicyAsync(bucket, original);

        var answer = await InvokeAsync(BucketEvent("put-bucket-policy.json", bucket));

        Assert.Equal("Remediated", answer.Status);
        using var merged = JsonDocument.Parse((await moto.PolicyAsync(bucket))!);
        var statements = merged.RootElement.GetProperty("Statement").EnumerateArray().ToList();
        Assert.Equal([.. theirs, OurStatement(bucket)], statements.Select(s => s.GetRawText()));
        Assert.Equal("their-policy", merged.RootElement.GetProperty("Id").GetString());
        Assert.Equal(original, Undo(answer, "PutBucketPolicy").GetProperty("previousPolicy").GetString());
    }

    [Fact]
    public async Task Bucket_WithAStaleCopyOfOurStatement_ReplacesItInPlaceWithoutDuplicating()
    {
        var bucket = await moto.CreateBucketAsync(Unique("stale"));
        var theirs = $$"""{"Sid":"Theirs","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}""";
        // An older copy built with the wrong partition and without the objects ARN, plus a duplicate of it.
        var stale = """{"Sid":"RemediatorsDenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws-cn:s3:::BUCKET","Condition":{"Bool":{"aws:SecureTransport":"false"}}}""".Replace("BUCKET", bucket, StringComparison.Ordinal);
        await moto.PutPolicyAsync(bucket, $$"""{"Version":"2012-10-17","Statement":[{{stale}},{{theirs}},{{stale}}]}""");

        var answer = await InvokeAsync(BucketEvent("delete-bucket-encryption.json", bucket));

        Assert.Equal("Remediated", answer.Status);
        using var merged = JsonDocument.Parse((await moto.PolicyAsync(bucket))!);
        Assert.Equal([OurStatement(bucket), theirs], merged.RootElement.GetProperty("Statement").EnumerateArray().Select(s => s.GetRawText()));
    }

    [Fact]
    public async Task Bucket_WhenTheMergedPolicyWouldExceedTheSizeLimit_RefusesAndLeavesThePolicyAlone()
    {
        var bucket = await moto.CreateBucketAsync(Unique("big"));
        await moto.PutEncryptionAsync(bucket, "AES256");
        var filler = new string('x', 20_300 - 200);
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Big","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/{{filler}}"}]}""";
        await moto.PutPolicyAsync(bucket, policy);
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(BucketEvent("put-bucket-policy.json", bucket));

        Assert.DoesNotContain(await recording.StopAsync(), IsWrite);
        Assert.Equal("Failed", answer.Status);
        Assert.Contains("20480-byte limit", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(policy, await moto.PolicyAsync(bucket));
    }

    [Theory]
    [InlineData("tag")]
    [InlineData("name")]
    public async Task Bucket_WhenExempt_IsLeftUntouched(string exemptBy)
    {
        var bucket = exemptBy == "tag"
            ? await moto.CreateBucketAsync(Unique("exempt-tag"), ("security:exempt", "TRUE"))
            : await moto.CreateBucketAsync(Unique("exempt-name"));
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(BucketEvent("create-bucket.json", bucket), new()
        {
            ["KmsKeyArn"] = KeyArn, ["ExemptTagKey"] = "security:exempt", ["ExemptBucketNames"] = exemptBy == "name" ? $"other-bucket,{bucket}" : "",
        });

        Assert.DoesNotContain(await recording.StopAsync(), IsWrite);
        Assert.Equal("Exempt", answer.Status);
        Assert.Null(await moto.EncryptionAsync(bucket));
        Assert.Null(await moto.PolicyAsync(bucket));
    }

    [Fact]
    public async Task Bucket_WhenTheEventIsReplayed_TheSecondRunWritesNothing()
    {
        var bucket = await moto.CreateBucketAsync(Unique("replay"));
        var created = BucketEvent("create-bucket.json", bucket);
        var first = await InvokeAsync(created, new() { ["KmsKeyArn"] = KeyArn });
        var recording = await moto.StartRecordingAsync();

        var second = await InvokeAsync(created, new() { ["KmsKeyArn"] = KeyArn });

        var operations = await recording.StopAsync();
        Assert.Equal("Remediated", first.Status);
        Assert.Equal(2, first.Count("EncryptionConfigured") + first.Count("TlsPoliciesWritten"));
        Assert.Equal("AlreadyCompliant", second.Status);
        Assert.DoesNotContain(operations, IsWrite);
        Assert.NotEmpty(operations);
    }

    [Fact]
    public async Task Bucket_InDryRun_ReportsThePlanAndChangesNothing()
    {
        var bucket = await moto.CreateBucketAsync(Unique("dry"));
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(BucketEvent("create-bucket.json", bucket), new() { ["Mode"] = "dry-run", ["KmsKeyArn"] = KeyArn });

        Assert.DoesNotContain(await recording.StopAsync(), IsWrite);
        Assert.Equal("DryRun", answer.Status);
        Assert.Equal(["PutBucketEncryption", "PutBucketPolicy"], answer.Resources.Single().GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("action").GetString()));
        Assert.Null(await moto.EncryptionAsync(bucket));
        Assert.Null(await moto.PolicyAsync(bucket));
    }

    [Fact]
    public async Task Bucket_WhenItNoLongerExists_IsACleanEnd()
    {
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(BucketEvent("create-bucket.json", Unique("gone")));

        Assert.DoesNotContain(await recording.StopAsync(), IsWrite);
        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Contains("no longer exists", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ebs_WhenDisabled_IsEnabledAndVerified()
    {
        const string region = "eu-west-3";
        await moto.DisableEbsEncryptionByDefaultAsync(region);
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(InRegion(Sample("disable-ebs-encryption-by-default.json"), region), region: region);

        Assert.Equal(["GetEbsEncryptionByDefault", "EnableEbsEncryptionByDefault", "GetEbsEncryptionByDefault"], await recording.StopAsync());
        Assert.Equal("Remediated", answer.Status);
        Assert.True(await moto.EbsEncryptedByDefaultAsync(region));
        Assert.Equal("false", Undo(answer, "EnableEbsEncryptionByDefault").GetProperty("previousEbsEncryptionByDefault").GetString());
    }

    [Fact]
    public async Task Ebs_WhenTheConfigEventIsReplayed_TheSecondRunOnlyReads()
    {
        const string region = "eu-north-1";
        await moto.DisableEbsEncryptionByDefaultAsync(region);
        var noncompliant = InRegion(Sample("config-ec2-ebs-encryption-by-default-noncompliant.json"), region);
        var first = await InvokeAsync(noncompliant, region: region);
        var recording = await moto.StartRecordingAsync();

        var second = await InvokeAsync(noncompliant, region: region);

        Assert.Equal(["GetEbsEncryptionByDefault"], await recording.StopAsync());
        Assert.Equal("Remediated", first.Status);
        Assert.Equal("AlreadyCompliant", second.Status);
    }

    [Fact]
    public async Task Ebs_InDryRun_ChangesNothing()
    {
        const string region = "ap-south-1";
        await moto.DisableEbsEncryptionByDefaultAsync(region);
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(InRegion(Sample("reset-ebs-default-kms-key-id.json"), region), new() { ["Mode"] = "dry-run" }, region);

        Assert.Equal(["GetEbsEncryptionByDefault"], await recording.StopAsync());
        Assert.Equal("DryRun", answer.Status);
        Assert.False(await moto.EbsEncryptedByDefaultAsync(region));
    }

    [Fact]
    public async Task Config_WhenAVolumeIsUnencrypted_ReportsItForManualActionWithoutAnyCall()
    {
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(Sample("config-encrypted-volumes-noncompliant.json"));

        Assert.Empty(await recording.StopAsync());
        Assert.Equal(1, answer.Count("VolumesNeedingManualAction"));
        Assert.Contains("vol-0a1b2c3d4e5f67890: needs manual action", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> MalformedEvents => new()
    {
        { "not JSON", "{ this is not json" },
        { "a bucket name that is no bucket name", BucketEvent("put-bucket-policy.json", "x\\\" , \\\"Resource\\\": \\\"*") },
        { "no bucket name", Sample("delete-bucket-policy.json").Replace("\"bucketName\"", "\"bucket\"", StringComparison.Ordinal) },
        { "another account's CloudTrail event", Sample("create-bucket.json").Replace("\"recipientAccountId\": \"123456789012\"", "\"recipientAccountId\": \"210987654321\"", StringComparison.Ordinal) },
        { "an event from another region than the function's", Sample("create-bucket.json").Replace("us-east-1", "eu-west-1", StringComparison.Ordinal) },
        { "a Config rule not configured", Sample("config-s3-bucket-ssl-requests-only-noncompliant.json").Replace("s3-bucket-ssl-requests-only", "someone-elses-rule", StringComparison.Ordinal) },
        { "another account's EBS evaluation", Sample("config-ec2-ebs-encryption-by-default-noncompliant.json").Replace("\"resourceId\": \"123456789012\"", "\"resourceId\": \"210987654321\"", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(MalformedEvents))]
    public async Task Malformed_IsRejectedWithoutAnyAwsCall(string what, string eventJson)
    {
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(eventJson, new() { ["KmsKeyArn"] = KeyArn });

        Assert.Empty(await recording.StopAsync());
        Assert.True(answer.Status == "Rejected", $"{what}: {answer.Body}");
    }

    /// <summary>S3 writes are PUTs (bucket subresources); EC2 writes are named. Reads are GETs and Get/Describe actions.</summary>
    private static bool IsWrite(string operation) =>
        operation.StartsWith("PUT ", StringComparison.Ordinal) || operation.StartsWith("DELETE ", StringComparison.Ordinal) ||
        operation is "EnableEbsEncryptionByDefault" or "ModifyEbsDefaultKmsKeyId" or "DisableEbsEncryptionByDefault";

    private static string OurStatement(string bucket) =>
        """{"Sid":"RemediatorsDenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::BUCKET","arn:aws:s3:::BUCKET/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}""".Replace("BUCKET", bucket, StringComparison.Ordinal);

    private static JsonElement Undo(FunctionAnswer answer, string action) =>
        answer.Resources.SelectMany(r => r.GetProperty("changes").EnumerateArray()).Single(c => c.GetProperty("action").GetString() == action).GetProperty("undo");

    private string Unique(string role) => $"enc-{role}-{_run}";

    private static string Sample(string name) => LocalInvoke.SampleEvent(Path.Combine("encryption-enforcer", name));

    private static string BucketEvent(string name, string bucket) =>
        LocalInvoke.SampleEvent(Path.Combine("encryption-enforcer", name), (SampleBucket, bucket));

    private static string InRegion(string eventJson, string region) => eventJson.Replace("us-east-1", region, StringComparison.Ordinal);

    private Task<FunctionAnswer> InvokeAsync(string eventJson, Dictionary<string, string>? parameters = null, string region = MotoServer.Region)
    {
        var all = new Dictionary<string, string> { ["Mode"] = "enforce" };
        foreach (var (name, value) in parameters ?? [])
            all[name] = value;
        return moto.InvokeAsync(Function, eventJson, all, region);
    }
}
