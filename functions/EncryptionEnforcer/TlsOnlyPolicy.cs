using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EncryptionEnforcer;

/// <summary>The result of merging the TLS-only statement into a bucket policy.</summary>
public abstract record PolicyMerge
{
    public sealed record Unchanged : PolicyMerge;
    public sealed record Updated(string Policy) : PolicyMerge;
    public sealed record Refused(string Reason) : PolicyMerge;
}

/// <summary>
/// Keeps one Deny-unless-TLS statement, under a fixed Sid, in a bucket policy. Every other statement is copied as its
/// original JSON text, byte for byte; a stale or duplicated copy of ours is replaced where the first one stood.
/// </summary>
public static class TlsOnlyPolicy
{
    public const string Sid = "RemediatorsDenyInsecureTransport";
    public const int MaxPolicyBytes = 20 * 1024;
    private const string PolicyVersion = "2012-10-17";

    public static string Statement(string bucket, string partition) => Written(json =>
    {
        json.WriteStartObject();
        json.WriteString("Sid", Sid);
        json.WriteString("Effect", "Deny");
        json.WriteString("Principal", "*");
        json.WriteString("Action", "s3:*");
        json.WriteStartArray("Resource");
        json.WriteStringValue($"arn:{partition}:s3:::{bucket}");
        json.WriteStringValue($"arn:{partition}:s3:::{bucket}/*");
        json.WriteEndArray();
        json.WriteStartObject("Condition");
        json.WriteStartObject("Bool");
        json.WriteString("aws:SecureTransport", "false");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    });

    /// <param name="existing">The bucket's policy text, or null when it has none.</param>
    public static PolicyMerge Merge(string? existing, string bucket, string partition)
    {
        var ours = Statement(bucket, partition);
        if (string.IsNullOrWhiteSpace(existing))
            return Checked(NewPolicy(ours));

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(existing);
        }
        catch (JsonException error)
        {
            return new PolicyMerge.Refused($"the bucket policy is not JSON ({error.Message}); not rewriting it");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Count(p => p.Name == "Statement") != 1
                || root.GetProperty("Statement") is not { ValueKind: JsonValueKind.Array or JsonValueKind.Object } statementElement)
                return new PolicyMerge.Refused("the bucket policy has no single Statement list; not rewriting it");

            // IAM accepts a single statement object in place of the list.
            var statements = statementElement.ValueKind == JsonValueKind.Array ? [.. statementElement.EnumerateArray()] : new List<JsonElement> { statementElement };
            var ourIndexes = statements.Select((s, i) => (s, i)).Where(x => IsOurs(x.s)).Select(x => x.i).ToList();
            if (ourIndexes.Count == 1 && JsonNode.DeepEquals(JsonNode.Parse(statements[ourIndexes[0]].GetRawText()), JsonNode.Parse(ours)))
                return new PolicyMerge.Unchanged();

            var others = statements.Where(s => !IsOurs(s)).Select(s => s.GetRawText()).ToList();
            var position = ourIndexes.Count > 0 ? ourIndexes[0] : others.Count;
            return Checked(Rewrite(root, others, ours, position));
        }
    }

    private static bool IsOurs(JsonElement statement) =>
        statement.ValueKind == JsonValueKind.Object && statement.TryGetProperty("Sid", out var sid) &&
        sid.ValueKind == JsonValueKind.String && sid.ValueEquals(Sid);

    private static PolicyMerge Checked(string policy)
    {
        var size = Encoding.UTF8.GetByteCount(policy);
        return size > MaxPolicyBytes
            ? new PolicyMerge.Refused($"with the TLS-only statement the policy would be {size} bytes, over S3's {MaxPolicyBytes}-byte limit; not truncating it")
            : new PolicyMerge.Updated(policy);
    }

    private static string NewPolicy(string ours) => Written(json =>
    {
        json.WriteStartObject();
        json.WriteString("Version", PolicyVersion);
        json.WritePropertyName("Statement");
        json.WriteStartArray();
        json.WriteRawValue(ours);
        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>The policy's other members are copied as they were, in their order; only the Statement list is rebuilt.</summary>
    private static string Rewrite(JsonElement root, List<string> others, string ours, int position) => Written(json =>
    {
        json.WriteStartObject();
        foreach (var property in root.EnumerateObject())
        {
            json.WritePropertyName(property.Name);
            if (property.Name != "Statement")
            {
                json.WriteRawValue(property.Value.GetRawText());
                continue;
            }
            json.WriteStartArray();
            for (var i = 0; i <= others.Count; i++)
            {
                if (i == position)
                    json.WriteRawValue(ours);
                if (i < others.Count)
                    json.WriteRawValue(others[i]);
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    });

    private static string Written(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
            write(json);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
