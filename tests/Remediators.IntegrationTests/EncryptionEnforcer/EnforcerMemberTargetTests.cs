using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using global::EncryptionEnforcer;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.EncryptionEnforcer;

/// <summary>The built enforcer in a hub, acting on a bucket event a member forwards: in a listed member through its role, nowhere else.</summary>
[Collection(MotoCollection.Name)]
public sealed class EnforcerMemberTargetTests(MotoServer moto)
{
    private const string Function = "EncryptionEnforcer";
    private const string SampleBucket = "remediators-example-bucket";
    private static readonly Dictionary<string, string> Enforce = new() { ["Mode"] = "enforce" };
    private static readonly Dictionary<string, string> DryRun = new() { ["Mode"] = "dry-run" };

    [Fact]
    public async Task AListedMembersNewBucket_IsEncryptedAndMadeTlsOnlyInThatAccountThroughItsRole()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function, BucketGateway.TlsOnlyPolicyActions.Condition);
        var s3 = member.Clients.Sdk<AmazonS3Client, AmazonS3Config>(MotoServer.Region, (c, config) => new AmazonS3Client(c, config));
        var bucket = $"member-{member.Account}-{Guid.NewGuid():N}"[..40];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var (environment, overrides) = MemberTargets.Settings(member.Account);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, BucketEvent(bucket, member.Account), Enforce, environment: environment, environmentOverrides: overrides);
        var calls = await recording.StopWithHeadersAsync();

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(member.Account, answer.Body.GetProperty("account").GetString());
        Assert.Single(calls, c => c.Operation == "AssumeRole");
        AssertWrittenWithTheRolesKey(calls, bucket);
        var encryption = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket, ExpectedBucketOwner = member.Account });
        Assert.NotEmpty(encryption.ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Contains("aws:SecureTransport", (await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket })).Policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListedMembersBucketReportedByConfig_IsMadeTlsOnlyInThatAccountThroughItsRole()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function, BucketGateway.TlsOnlyPolicyActions.Condition);
        var s3 = S3In(member);
        var bucket = $"config-{member.Account}-{Guid.NewGuid():N}"[..40];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var (environment, overrides) = MemberTargets.Settings(member.Account);
        var noncompliant = MemberTargets.Forwarded(LocalInvoke.SampleEvent("encryption-enforcer/config-s3-bucket-ssl-requests-only-noncompliant.json",
            ("remediators-example-bucket", bucket)), member.Account, MotoServer.Region);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, noncompliant, Enforce, environment: environment, environmentOverrides: overrides);
        var calls = await recording.StopWithHeadersAsync();

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(member.Account, answer.Body.GetProperty("account").GetString());
        Assert.Single(calls, c => c.Operation == "AssumeRole");
        AssertWrittenWithTheRolesKey(calls, bucket);
        Assert.Contains("aws:SecureTransport", (await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket, ExpectedBucketOwner = member.Account })).Policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListedMembersEbsSettingDisabledInAListedRegion_IsEnabledThereThroughItsRole_AndTheHubsIsUntouched()
    {
        const string region = "ap-northeast-2";
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function);
        var ec2 = member.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(region, (c, config) => new AmazonEC2Client(c, config));
        await ec2.DisableEbsEncryptionByDefaultAsync(new DisableEbsEncryptionByDefaultRequest());
        var hubBefore = await moto.EbsEncryptedByDefaultAsync(region);
        var (environment, overrides) = MemberTargets.Settings(member.Account, regions: region);
        var disabled = MemberTargets.Forwarded(LocalInvoke.SampleEvent("encryption-enforcer/disable-ebs-encryption-by-default.json"), member.Account, region);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, disabled, Enforce, environment: environment, environmentOverrides: overrides);
        var operations = await recording.StopAsync();

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.Equal((member.Account, region), (answer.Body.GetProperty("account").GetString(), answer.Body.GetProperty("region").GetString()));
        Assert.Equal(["AssumeRole", "GetEbsEncryptionByDefault", "EnableEbsEncryptionByDefault", "GetEbsEncryptionByDefault"], operations);
        Assert.True((await ec2.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault ?? false);
        Assert.Equal(hubBefore, await moto.EbsEncryptedByDefaultAsync(region));
    }

    [Fact]
    public async Task AListedMembersBucketEventInDryRun_AssumesItsRoleOnce_AndOnlyReads()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function, BucketGateway.TlsOnlyPolicyActions.Condition);
        var s3 = S3In(member);
        var bucket = $"dry-{member.Account}-{Guid.NewGuid():N}"[..40];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var (environment, overrides) = MemberTargets.Settings(member.Account);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, BucketEvent(bucket, member.Account), DryRun, environment: environment, environmentOverrides: overrides);
        var operations = await recording.StopAsync();

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("DryRun", answer.Status);
        Assert.Single(operations, o => o == "AssumeRole");
        Assert.Contains(operations, o => o.StartsWith($"GET /{bucket}", StringComparison.Ordinal));
        Assert.Empty(MemberTargets.NotDeclaredReads(Function, operations));
        Assert.Null(await PolicyOfAsync(s3, bucket));
    }

    [Fact]
    public async Task AMemberWhoseRoleCannotBeAssumed_FailsNamingAccountRoleAndWhatToDeploy_AndChangesNothingThere()
    {
        const string prefix = "enforcer-missing-";
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.DenyAssumingRolesAsync(prefix);
        var s3 = S3In(member);
        var bucket = $"unreached-{member.Account}-{Guid.NewGuid():N}"[..40];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var (environment, overrides) = MemberTargets.Settings(member.Account, rolePrefix: prefix);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, BucketEvent(bucket, member.Account), Enforce, environment: environment, environmentOverrides: overrides);
        var operations = await recording.StopAsync();

        MemberTargets.AssertRoleUnreachable(answer, member.Account, $"arn:aws:iam::{member.Account}:role/{prefix}{Function}");
        Assert.Equal(["AssumeRole"], operations);
        Assert.Null(await PolicyOfAsync(s3, bucket));
    }

    private const string Listed = "352000000001";
    private const string Other = "352000000002";
    private const string Stranger = "352000000003";

    public static TheoryData<string, string, string> RefusedEvents => new()
    {
        { "an account not listed", BucketEvent(SampleBucket, Stranger),
            $"the event names account {Stranger}; this function acts only in account {MotoServer.AccountId} and those of TARGET_ACCOUNTS" },
        { "a region not listed", MemberTargets.Forwarded(LocalInvoke.SampleEvent("encryption-enforcer/create-bucket.json"), Listed, "eu-west-1"),
            $"the event names region eu-west-1; this function acts only in region {MotoServer.Region} and those of TARGET_REGIONS" },
        { "a CloudTrail recipient other than the envelope's account", MemberTargets.WithDetail(BucketEvent(SampleBucket, Listed), "recipientAccountId", Other),
            $"CloudTrail event for account {Other} arrived in account {Listed}" },
        { "a Config account other than the envelope's", MemberTargets.WithDetail(ConfigBucketEvent(Listed), "awsAccountId", Other),
            $"Config evaluation for account {Other} arrived in account {Listed}" },
        { "a Config region other than the envelope's", MemberTargets.WithDetail(ConfigBucketEvent(Listed), "awsRegion", "us-west-2"),
            $"Config evaluation for region us-west-2 arrived in region {MotoServer.Region}" },
    };

    [Theory]
    [MemberData(nameof(RefusedEvents))]
    public async Task AnEventNotForAListedTarget_IsRejectedWithItsReason_WithoutAnyCall(string what, string eventJson, string reason)
    {
        var (environment, overrides) = MemberTargets.Settings($"{Listed},{Other}", regions: "us-west-2");

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, eventJson, Enforce, environment: environment, environmentOverrides: overrides);

        Assert.Empty(await recording.StopAsync());
        Assert.True(answer.Status == "Rejected", $"{what}: {answer.Body}");
        Assert.Equal(reason, answer.Body.GetProperty("reason").GetString());
    }

    // moto's S3 lets the hub's own key write any account's bucket, so what shows the role was used is the key that signed.
    private void AssertWrittenWithTheRolesKey(IReadOnlyList<RecordedCall> calls, string bucket)
    {
        var hubKey = moto.Credentials.GetCredentials().AccessKey;
        var bucketWrites = calls.Where(c => c.Operation.StartsWith($"PUT /{bucket}", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(bucketWrites);
        Assert.All(bucketWrites, c => Assert.DoesNotContain(hubKey, c.Headers["Authorization"], StringComparison.Ordinal));
    }

    private static AmazonS3Client S3In(MemberAccount member) =>
        member.Clients.Sdk<AmazonS3Client, AmazonS3Config>(MotoServer.Region, (c, config) => new AmazonS3Client(c, config));

    // The SDK answers GetBucketPolicy's 404 (no policy) as a response whose "policy" is the error body.
    private static async Task<string?> PolicyOfAsync(AmazonS3Client s3, string bucket)
    {
        var response = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket });
        return response.HttpStatusCode == System.Net.HttpStatusCode.NotFound ? null : response.Policy;
    }

    private static string ConfigBucketEvent(string account) =>
        MemberTargets.Forwarded(LocalInvoke.SampleEvent("encryption-enforcer/config-s3-bucket-ssl-requests-only-noncompliant.json"), account, MotoServer.Region);

    private static string BucketEvent(string bucket, string account) => MemberTargets.Forwarded(
        LocalInvoke.SampleEvent("encryption-enforcer/create-bucket.json", ("remediators-example-bucket", bucket)), account, MotoServer.Region);
}
