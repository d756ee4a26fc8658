using System.Text;
using System.Text.Json;

namespace EncryptionEnforcer;

/// <summary>
/// A bucket's default encryption as the policy sees it (no AWS types). <see cref="BlockedEncryptionTypes"/> (e.g. SSE-C
/// blocking) is carried over to any configuration written, so enforcing encryption never unblocks an upload type.
/// </summary>
public sealed record BucketEncryption(string Algorithm, string? KmsKeyId, bool BucketKeyEnabled, IReadOnlyList<string> BlockedEncryptionTypes)
{
    /// <summary>The configuration in the shape of S3's API and CLI (<c>put-bucket-encryption --server-side-encryption-configuration</c>).</summary>
    public string ToS3Json()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Rules");
            json.WriteStartObject();
            json.WriteStartObject("ApplyServerSideEncryptionByDefault");
            json.WriteString("SSEAlgorithm", Algorithm);
            if (KmsKeyId is not null)
                json.WriteString("KMSMasterKeyID", KmsKeyId);
            json.WriteEndObject();
            json.WriteBoolean(nameof(BucketKeyEnabled), BucketKeyEnabled);
            if (BlockedEncryptionTypes.Count > 0)
            {
                json.WriteStartObject(nameof(BlockedEncryptionTypes));
                json.WriteStartArray("EncryptionType");
                foreach (var type in BlockedEncryptionTypes)
                    json.WriteStringValue(type);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>The default encryption buckets must have: SSE-S3, or SSE-KMS with one key.</summary>
public sealed record RequiredEncryption(string Algorithm, KmsKeyArn? KmsKey)
{
    public static readonly RequiredEncryption SseS3 = new(EncryptionPolicy.Aes256, null);

    public static RequiredEncryption SseKms(KmsKeyArn key) => new(EncryptionPolicy.Kms, key);

    public override string ToString() => KmsKey is null ? Algorithm : $"{Algorithm} with {KmsKey}";
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

    /// <summary>
    /// At or above the requirement: any server-side encryption satisfies SSE-S3; SSE-KMS (or dual-layer) satisfies SSE-KMS
    /// only with the required key, named by its ARN. The bucket key is not required of a bucket already using the right key.
    /// </summary>
    public static bool Satisfies(BucketEncryption? current, RequiredEncryption required) =>
        current is not null && (required.KmsKey is null
            ? current.Algorithm is Aes256 or Kms or DualLayerKms
            : current.Algorithm is Kms or DualLayerKms && current.KmsKeyId == required.KmsKey.Arn);

    /// <summary>The configuration to write: the required one, with S3 Bucket Keys on for SSE-KMS, keeping the blocked upload types.</summary>
    public static BucketEncryption Target(BucketEncryption? current, RequiredEncryption required) =>
        new(required.Algorithm, required.KmsKey?.Arn, BucketKeyEnabled: required.KmsKey is not null, current?.BlockedEncryptionTypes ?? []);

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
