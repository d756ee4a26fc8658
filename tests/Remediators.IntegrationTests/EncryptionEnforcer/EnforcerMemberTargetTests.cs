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
    private static readonly Dictionary<string, string> Enforce = new() { ["Mode"] = "enforce" };

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
        // moto's S3 lets the hub's own key write any account's bucket, so what shows the role was used is the key that signed.
        var hubKey = moto.Credentials.GetCredentials().AccessKey;
        var bucketWrites = calls.Where(c => c.Operation.StartsWith($"PUT /{bucket}", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(bucketWrites);
        Assert.All(bucketWrites, c => Assert.DoesNotContain(hubKey, c.Headers["Authorization"], StringComparison.Ordinal));
        var encryption = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket, ExpectedBucketOwner = member.Account });
        Assert.NotEmpty(encryption.ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Contains("aws:SecureTransport", (await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket })).Policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABucketEventOfAnAccountNotListed_IsRejectedWithoutAnyCall()
    {
        var (environment, overrides) = MemberTargets.Settings(MemberTargets.NewAccount());
        var stranger = MemberTargets.NewAccount();

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, BucketEvent("remediators-example-bucket", stranger), Enforce, environment: environment, environmentOverrides: overrides);

        Assert.Empty(await recording.StopAsync());
        Assert.Equal("Rejected", answer.Status);
        Assert.Contains($"account {stranger}", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static string BucketEvent(string bucket, string account) => MemberTargets.Forwarded(
        LocalInvoke.SampleEvent("encryption-enforcer/create-bucket.json", ("remediators-example-bucket", bucket)), account, MotoServer.Region);
}
