using EncryptionEnforcer;
using FsCheck.Xunit;

namespace Remediators.Tests.EncryptionEnforcer;

public sealed class EncryptionPolicyTests
{
    private static readonly KmsKeyArn Key = KmsKeyArn.Parse("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")!;
    private static readonly RequiredEncryption Kms = RequiredEncryption.SseKms(Key);

    private static BucketEncryption Encryption(string algorithm, string? key = null, bool bucketKey = false) => new(algorithm, key, bucketKey, []);

    [Fact]
    public void Target_ForKms_UsesTheFullArnWithABucketKey_AndKeepsBlockedUploadTypes()
    {
        var current = new BucketEncryption("AES256", null, false, ["SSE-C"]);

        var target = EncryptionPolicy.Target(current, Kms);

        Assert.Equal(("aws:kms", Key.Arn, true), (target.Algorithm, target.KmsKeyId, target.BucketKeyEnabled));
        Assert.Equal(["SSE-C"], target.BlockedEncryptionTypes);
        Assert.Contains("\"BlockedEncryptionTypes\":{\"EncryptionType\":[\"SSE-C\"]}", target.ToS3Json(), StringComparison.Ordinal);
    }

    [Fact]
    public void DecideEbs_WithAKeyFromAnotherRegion_EnablesEncryptionButRefusesTheKey()
    {
        var plan = EncryptionPolicy.DecideEbs(new EbsDefaults(false, "alias/aws/ebs"), Key, "eu-west-1", "aws");

        Assert.True(plan.EnableEncryption);
        Assert.Null(plan.SetDefaultKey);
        Assert.Contains("us-east-1", plan.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void DecideEbs_WhenAnotherKeyIsTheDefault_SetsTheConfiguredOne()
    {
        var plan = EncryptionPolicy.DecideEbs(new EbsDefaults(true, "alias/aws/ebs"), Key, "us-east-1", "aws");

        Assert.Equal(new EbsPlan(false, Key, null), plan);
    }

    [Property]
    public bool DecideEbs_EnablesExactlyWhenOff_AndSetsOnlyTheConfiguredKey(bool encrypted, bool keyConfigured, bool keyIsDefault, bool sameRegion)
    {
        var required = keyConfigured ? Key : null;
        var current = new EbsDefaults(encrypted, keyIsDefault ? Key.Arn : "alias/aws/ebs");

        var plan = EncryptionPolicy.DecideEbs(current, required, sameRegion ? "us-east-1" : "ap-southeast-2", "aws");

        return plan.EnableEncryption == !encrypted
            && (plan.SetDefaultKey is null || plan.SetDefaultKey == required && !keyIsDefault && sameRegion)
            && (plan.Refusal is null) == (!keyConfigured || sameRegion);
    }
}
