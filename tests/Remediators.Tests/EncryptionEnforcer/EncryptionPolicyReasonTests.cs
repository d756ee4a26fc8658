using EncryptionEnforcer;

namespace Remediators.Tests.EncryptionEnforcer;

/// <summary>The reason is what a person reads in the outcome record, so each branch's text is pinned exactly.</summary>
public sealed class EncryptionPolicyReasonTests
{
    private const string Account = "123456789012";
    private const string OtherAccount = "210987654321";
    private const string CentralArn = $"arn:aws:kms:us-east-1:{Account}:key/central-0000";
    private const string TeamKey = $"arn:aws:kms:us-east-1:{Account}:key/team-1111";
    private const string ForeignKey = $"arn:aws:kms:us-east-1:{OtherAccount}:key/foreign-2222";
    private static readonly RequiredEncryption Kms = RequiredEncryption.SseKms(KmsKeyArn.Parse(CentralArn)!);

    private static BucketEncryption Encryption(string algorithm, string? key = null) => new(algorithm, key, false, []);

    private static KeyFacts Facts(string? arn, string? account = Account, bool awsManaged = false, KeyCondition condition = KeyCondition.Usable) =>
        new(arn, account, awsManaged, condition);

    public static TheoryData<BucketEncryption?, KeyFacts?, bool, string> Reasons => new()
    {
        { null, null, false, "set default encryption to AES256: the bucket had none" },
        { null, null, true, $"set default encryption to aws:kms with {CentralArn}: the bucket had none" },
        { Encryption("aws:kms:future"), null, true, "default encryption aws:kms:future is not one this function knows, so it is left for a person" },
        { Encryption("aws:kms", TeamKey), null, false, "default encryption aws:kms meets AES256" },
        { Encryption("AES256"), null, true, $"set default encryption to aws:kms with {CentralArn}: AES256 (SSE-S3) is below it" },
        { Encryption("aws:kms"), null, true, $"replaced the AWS managed aws/s3 key with the configured key {CentralArn}, keeping aws:kms" },
        { Encryption("aws:kms", CentralArn), null, true, $"default encryption aws:kms uses the configured key {CentralArn}" },
        { Encryption("aws:kms", "alias/aws/s3"), Facts($"arn:aws:kms:us-east-1:{Account}:key/aws-s3", awsManaged: true), true,
            $"replaced the AWS managed key alias/aws/s3 with the configured key {CentralArn}, keeping aws:kms" },
        { Encryption("aws:kms", ForeignKey), Facts(ForeignKey, OtherAccount), true,
            $"replaced key {ForeignKey} of another account ({OtherAccount}) with the configured key {CentralArn}, keeping aws:kms" },
        { Encryption("aws:kms", "alias/gone"), Facts(null, null, condition: KeyCondition.Missing), true,
            $"replaced key alias/gone, which no longer exists with the configured key {CentralArn}, keeping aws:kms" },
        { Encryption("aws:kms", TeamKey), Facts(TeamKey, condition: KeyCondition.Disabled), true,
            $"replaced key {TeamKey}, which is disabled with the configured key {CentralArn}, keeping aws:kms" },
        { Encryption("aws:kms:dsse", TeamKey), Facts(TeamKey, condition: KeyCondition.PendingDeletion), true,
            $"replaced key {TeamKey}, which is pending deletion with the configured key {CentralArn}, keeping aws:kms:dsse" },
        { Encryption("aws:kms", TeamKey), Facts(null, Account, condition: KeyCondition.Unreadable), true,
            $"key {TeamKey} could not be described, so whether to replace it is left for a person" },
        { Encryption("aws:kms:dsse", "team-1111"), Facts(TeamKey), true,
            $"left alone: aws:kms:dsse under this account's own customer managed key {TeamKey} (the data owner's choice), not the configured {CentralArn}" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void DecideBucket_SaysWhatItDidAndWhy(BucketEncryption? current, KeyFacts? key, bool requireKms, string reason) =>
        Assert.Equal(reason, EncryptionPolicy.DecideBucket(current, key, requireKms ? Kms : RequiredEncryption.SseS3, Account).Reason);

    [Fact]
    public void RequiredEncryption_NamesTheKeyOnlyWhenThereIsOne()
    {
        Assert.Equal("AES256", RequiredEncryption.SseS3.ToString());
        Assert.Equal($"aws:kms with {CentralArn}", Kms.ToString());
    }
}
