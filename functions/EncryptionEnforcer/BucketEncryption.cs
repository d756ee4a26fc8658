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
