using EncryptionEnforcer;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Remediators.Tests.EncryptionEnforcer;

/// <summary>Never a weaker algorithm, and a bucket's own usable customer key is the data owner's choice.</summary>
public sealed class BucketEncryptionDecisionTests
{
    private const string Account = "123456789012";
    private const string OtherAccount = "210987654321";
    private static readonly KmsKeyArn Central = KmsKeyArn.Parse($"arn:aws:kms:us-east-1:{Account}:key/central-0000")!;
    private static readonly RequiredEncryption Kms = RequiredEncryption.SseKms(Central);
    private static readonly string TeamKey = $"arn:aws:kms:us-east-1:{Account}:key/team-1111";
    private static readonly string ForeignKey = $"arn:aws:kms:us-east-1:{OtherAccount}:key/foreign-2222";

    // Independent of the code under test: S3's algorithms from weakest to strongest.
    private static readonly string?[] ByStrength = [null, "AES256", "aws:kms", "aws:kms:dsse"];

    private static BucketEncryption Encryption(string algorithm, string? key = null) => new(algorithm, key, false, []);

    private static KeyFacts Facts(string? arn, string? account = Account, bool awsManaged = false, KeyCondition condition = KeyCondition.Usable) =>
        new(arn, account, awsManaged, condition);

    public static TheoryData<string, BucketEncryption?, KeyFacts?, bool, string> Cases => new()
    {
        { "no encryption, SSE-S3 required", null, null, false, "Write AES256 key=- bucketKey=False" },
        { "no encryption, SSE-KMS required", null, null, true, $"Write aws:kms key={Central} bucketKey=True" },
        { "AES256 meets SSE-S3", Encryption("AES256"), null, false, "Keep" },
        { "SSE-KMS is not lowered to SSE-S3", Encryption("aws:kms", TeamKey), null, false, "Keep" },
        { "dual-layer is not lowered to SSE-S3", Encryption("aws:kms:dsse"), null, false, "Keep" },
        { "AES256 is raised", Encryption("AES256"), null, true, $"Write aws:kms key={Central} bucketKey=True" },
        { "the aws/s3 key is replaced", Encryption("aws:kms"), null, true, $"Write aws:kms key={Central} bucketKey=True" },
        { "dual-layer stays dual-layer", Encryption("aws:kms:dsse"), null, true, $"Write aws:kms:dsse key={Central} bucketKey=False" },
        { "the configured key", Encryption("aws:kms", Central.Arn), null, true, "Keep" },
        { "an alias of the configured key", Encryption("aws:kms", "alias/central"), Facts(Central.Arn), true, "Keep" },
        { "the team's own key", Encryption("aws:kms", TeamKey), Facts(TeamKey), true, "Keep" },
        { "the team's own key by id", Encryption("aws:kms:dsse", "team-1111"), Facts(TeamKey), true, "Keep" },
        { "the aws/s3 key named", Encryption("aws:kms", "alias/aws/s3"), Facts($"arn:aws:kms:us-east-1:{Account}:key/aws-s3", awsManaged: true), true, $"Write aws:kms key={Central} bucketKey=True" },
        { "a key of another account", Encryption("aws:kms", ForeignKey), Facts(ForeignKey, OtherAccount), true, $"Write aws:kms key={Central} bucketKey=True" },
        { "a key of another account KMS will not describe", Encryption("aws:kms", ForeignKey), Facts(null, OtherAccount, condition: KeyCondition.Unreadable), true, $"Write aws:kms key={Central} bucketKey=True" },
        { "a disabled key", Encryption("aws:kms", TeamKey), Facts(TeamKey, condition: KeyCondition.Disabled), true, $"Write aws:kms key={Central} bucketKey=True" },
        { "a key pending deletion", Encryption("aws:kms:dsse", TeamKey), Facts(TeamKey, condition: KeyCondition.PendingDeletion), true, $"Write aws:kms:dsse key={Central} bucketKey=False" },
        { "a key gone", Encryption("aws:kms", "alias/gone"), Facts(null, null, condition: KeyCondition.Missing), true, $"Write aws:kms key={Central} bucketKey=True" },
        { "an own key KMS will not describe", Encryption("aws:kms", TeamKey), Facts(null, Account, condition: KeyCondition.Unreadable), true, "Refuse" },
        { "an algorithm S3 may add later", Encryption("aws:kms:future"), null, true, "Refuse" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecideBucket(string situation, BucketEncryption? current, KeyFacts? key, bool requireKms, string expected)
    {
        var decision = EncryptionPolicy.DecideBucket(current, key, requireKms ? Kms : RequiredEncryption.SseS3, Account);

        Assert.True(expected == Describe(decision), $"{situation}: expected {expected}, got {Describe(decision)} ({decision.Reason})");
    }

    [Fact]
    public void DecideBucket_KeepingTheTeamsKey_SaysItIsLeftAloneAndNamesBothKeys()
    {
        var decision = EncryptionPolicy.DecideBucket(Encryption("aws:kms", TeamKey), Facts(TeamKey), Kms, Account);

        Assert.Equal($"left alone: aws:kms under this account's own customer managed key {TeamKey} (the data owner's choice), not the configured {Central}", decision.Reason);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool DecideBucket_NeverLowersTheAlgorithm(Situation s)
    {
        var decision = EncryptionPolicy.DecideBucket(s.Current, s.Key, s.Required, Account);
        return decision is not BucketDecision.Write write ||
               Array.IndexOf(ByStrength, write.Target.Algorithm) >= Array.IndexOf(ByStrength, s.Current?.Algorithm);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool DecideBucket_ReplacesAKeyOnlyWhenAwsManagedForeignOrBroken(Situation s)
    {
        var decision = EncryptionPolicy.DecideBucket(s.Current, s.Key, s.Required, Account);
        if (decision is not BucketDecision.Write write || s.Current is not { Algorithm: "aws:kms" or "aws:kms:dsse", KmsKeyId: { } named })
            return true;
        var replaceable = s.Key is { } key && (key.AwsManaged || key.Account is { } owner && owner != Account
            || key.Condition is KeyCondition.Missing or KeyCondition.Disabled or KeyCondition.PendingDeletion);
        return replaceable && named != Central.Arn && s.Key!.Arn != Central.Arn && write.Target.KmsKeyId == Central.Arn;
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool DecideBucket_WritesTheConfiguredKeyWithABucketKeyOnlyForSingleLayerKms(Situation s)
    {
        var decision = EncryptionPolicy.DecideBucket(s.Current, s.Key, s.Required, Account);
        return decision is not BucketDecision.Write write ||
               write.Target.KmsKeyId == s.Required.KmsKey?.Arn && write.Target.BucketKeyEnabled == (write.Target.Algorithm == "aws:kms");
    }

    private static string Describe(BucketDecision decision) => decision switch
    {
        BucketDecision.Write write => $"Write {write.Target.Algorithm} key={write.Target.KmsKeyId ?? "-"} bucketKey={write.Target.BucketKeyEnabled}",
        _ => decision.GetType().Name,
    };

    public sealed record Situation(BucketEncryption? Current, KeyFacts? Key, RequiredEncryption Required);

    public static class Arbitraries
    {
        public static Arbitrary<Situation> Situations() =>
            (from algorithm in Gen.Elements<string?>(null, "AES256", "aws:kms", "aws:kms:dsse")
             from named in Gen.Elements<string?>(null, Central.Arn, "alias/central", TeamKey, "team-1111", ForeignKey, "alias/aws/s3")
             from resolvesTo in Gen.Elements<string?>(null, Central.Arn, TeamKey, ForeignKey)
             from account in Gen.Elements<string?>(Account, Account, OtherAccount, null)
             from awsManaged in Gen.Elements(false, false, true)
             from condition in Gen.Elements(Enum.GetValues<KeyCondition>())
             from looked in Gen.Elements(true, true, false)
             from requireKms in Gen.Elements(true, true, false)
             select new Situation(
                 algorithm is null ? null : new BucketEncryption(algorithm, named, false, []),
                 looked ? new KeyFacts(resolvesTo, account, awsManaged, condition) : null,
                 requireKms ? Kms : RequiredEncryption.SseS3)).ToArbitrary();
    }
}
