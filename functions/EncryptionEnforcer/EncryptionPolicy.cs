namespace EncryptionEnforcer;

/// <summary>The default encryption buckets must have: SSE-S3, or SSE-KMS with one key.</summary>
public sealed record RequiredEncryption(string Algorithm, KmsKeyArn? KmsKey)
{
    public static readonly RequiredEncryption SseS3 = new(EncryptionPolicy.Aes256, null);

    public static RequiredEncryption SseKms(KmsKeyArn key) => new(EncryptionPolicy.Kms, key);

    public override string ToString() => KmsKey is null ? Algorithm : $"{Algorithm} with {KmsKey}";
}

/// <summary>What KMS says about a bucket's key: <see cref="Account"/> is null when unknown (an id or alias names a key of the bucket's account).</summary>
public sealed record KeyFacts(string? Arn, string? Account, bool AwsManaged, KeyCondition Condition);

public enum KeyCondition
{
    Usable,
    Disabled,
    PendingDeletion,
    Missing,
    /// <summary>DescribeKey was refused: nothing is known about the key.</summary>
    Unreadable,
}

/// <summary>What to do with a bucket's default encryption, and why.</summary>
public abstract record BucketDecision(string Reason)
{
    public sealed record Keep(string Reason) : BucketDecision(Reason);
    public sealed record Write(BucketEncryption Target, string Reason) : BucketDecision(Reason);
    /// <summary>Left for a person: the function cannot tell a safe change.</summary>
    public sealed record Refuse(string Reason) : BucketDecision(Reason);
}

/// <summary>A region's EBS encryption-by-default settings; the key is read only when one is required.</summary>
public sealed record EbsDefaults(bool EncryptedByDefault, string? DefaultKmsKeyId);

/// <summary>What to change in a region's EBS settings; <see cref="Refusal"/> says why a configured key is not set.</summary>
public sealed record EbsPlan(bool EnableEncryption, KmsKeyArn? SetDefaultKey, string? Refusal)
{
    public bool IsEmpty => !EnableEncryption && SetDefaultKey is null;
}

/// <summary>The pure decisions: is a bucket's encryption enough, what to write instead, what a region's EBS settings need.</summary>
public static class EncryptionPolicy
{
    public const string Aes256 = "AES256";
    public const string Kms = "aws:kms";
    public const string DualLayerKms = "aws:kms:dsse";

    /// <summary>How strong an algorithm is: dual-layer SSE-KMS over SSE-KMS over SSE-S3 over none; -1 for one S3 may add later.</summary>
    public static int Strength(string? algorithm) => algorithm switch
    {
        null => 0,
        Aes256 => 1,
        Kms => 2,
        DualLayerKms => 3,
        _ => -1,
    };

    /// <summary>
    /// Never lowers the algorithm. Under an SSE-S3 requirement any server-side encryption is enough. Under SSE-KMS with the
    /// configured key, the key is replaced only when it is the AWS managed aws/s3 key, lives in another account, or is missing,
    /// disabled or pending deletion; a usable customer managed key of the bucket's own account is the data owner's choice.
    /// <paramref name="key"/> is what KMS says about the bucket's key when it names one other than the configured key's ARN.
    /// </summary>
    public static BucketDecision DecideBucket(BucketEncryption? current, KeyFacts? key, RequiredEncryption required, string bucketAccount)
    {
        if (current is null)
            return new BucketDecision.Write(Target(null, required), $"set default encryption to {required}: the bucket had none");
        var algorithm = current.Algorithm;
        if (Strength(algorithm) < 0)
            return new BucketDecision.Refuse($"default encryption {algorithm} is not one this function knows, so it is left for a person");
        if (required.KmsKey is not { } central)
            return new BucketDecision.Keep($"default encryption {algorithm} meets {required}");
        if (algorithm == Aes256)
            return new BucketDecision.Write(Target(current, required), $"set default encryption to {required}: AES256 (SSE-S3) is below it");
        if (current.KmsKeyId is not { } named)
            return Replace(current, required, "the AWS managed aws/s3 key");
        if (named == central.Arn || key?.Arn == central.Arn)
            return new BucketDecision.Keep($"default encryption {algorithm} uses the configured key {central}");
        var facts = key ?? new KeyFacts(null, null, false, KeyCondition.Unreadable);
        if (facts.AwsManaged)
            return Replace(current, required, $"the AWS managed key {named}");
        if (facts.Account is { } owner && owner != bucketAccount)
            return Replace(current, required, $"key {named} of another account ({owner})");
        return facts.Condition switch
        {
            KeyCondition.Missing => Replace(current, required, $"key {named}, which no longer exists"),
            KeyCondition.Disabled => Replace(current, required, $"key {named}, which is disabled"),
            KeyCondition.PendingDeletion => Replace(current, required, $"key {named}, which is pending deletion"),
            KeyCondition.Unreadable => new BucketDecision.Refuse($"key {named} could not be described, so whether to replace it is left for a person"),
            _ => new BucketDecision.Keep(
                $"left alone: {algorithm} under this account's own customer managed key {facts.Arn ?? named} (the data owner's choice), not the configured {central}"),
        };
    }

    private static BucketDecision.Write Replace(BucketEncryption current, RequiredEncryption required, string what) =>
        new(Target(current, required), $"replaced {what} with the configured key {required.KmsKey}, keeping {Stronger(current.Algorithm, required.Algorithm)}");

    /// <summary>
    /// The configuration to write: the required key, with the stronger of the current and required algorithms, S3 Bucket Keys
    /// on for SSE-KMS (dual-layer SSE-KMS does not support them), keeping the blocked upload types.
    /// </summary>
    public static BucketEncryption Target(BucketEncryption? current, RequiredEncryption required)
    {
        var algorithm = Stronger(current?.Algorithm, required.Algorithm);
        return new(algorithm, required.KmsKey?.Arn, BucketKeyEnabled: algorithm == Kms, current?.BlockedEncryptionTypes ?? []);
    }

    private static string Stronger(string? current, string required) => Strength(current) > Strength(required) ? current! : required;

    /// <summary>Never disables anything: enables encryption when off, and sets the configured key when another one is the default.</summary>
    public static EbsPlan DecideEbs(EbsDefaults current, KmsKeyArn? requiredKey, string region, string partition)
    {
        var enable = !current.EncryptedByDefault;
        if (requiredKey is null)
            return new EbsPlan(enable, null, null);
        if (requiredKey.UnusableIn(region, partition) is { } refusal)
            return new EbsPlan(enable, null, refusal);
        return new EbsPlan(enable, current.DefaultKmsKeyId == requiredKey.Arn ? null : requiredKey, null);
    }
}
