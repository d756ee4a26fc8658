using System.Text.Json;
using System.Xml.Linq;

namespace Remediators.Core.Aws;

/// <summary>Reads the error code and message from an AWS error body, JSON or XML (moto answers auth errors in XML on JSON services).</summary>
internal static class AwsErrorParser
{
    public static (string Code, string Message) Parse(byte[] body, string? errorTypeHeader)
    {
        var firstCharacter = body.FirstOrDefault(b => !char.IsWhiteSpace((char)b));
        var (code, message) = firstCharacter == '<' ? ParseXml(body) : ParseJson(body);
        code ??= errorTypeHeader;
        return (ShortCode(code) ?? "Unknown", message ?? "");
    }

    private static (string?, string?) ParseXml(byte[] body)
    {
        try
        {
            var error = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body).Trim()).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            return (Child(error, "Code"), Child(error, "Message"));
        }
        catch (System.Xml.XmlException)
        {
            return (null, null);
        }
    }

    private static (string?, string?) ParseJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return (Property(root, "__type") ?? Property(root, "code"), Property(root, "message") ?? Property(root, "Message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    // "com.amazonaws.waf#WAFOptimisticLockException" and "WAFOptimisticLockException:http://..." both mean the same code.
    private static string? ShortCode(string? code) => code?.Split('#')[^1].Split(':')[0];

    private static string? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static string? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
