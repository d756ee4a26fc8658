using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Remediators.Local.Template;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Remediators.Local.Routing;

/// <summary>
/// Turns an event pattern as written in template.yaml into the JSON CloudFormation hands EventBridge: intrinsics are
/// evaluated (a list intrinsic becomes an array, any other a string), plain YAML numbers and booleans keep their type,
/// and a pattern written as a JSON string (e.g. with <c>!Sub</c>) is parsed.
/// </summary>
internal static class EventPatternJson
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string From(YamlNode pattern, IntrinsicEvaluator evaluator)
    {
        var json = ToJson(pattern, evaluator);
        if (json is JsonValue value && value.TryGetValue<string>(out var text))
        {
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw ConfigurationException.At(pattern, $"event pattern is not JSON: {e.Message}");
            }
        }
        return json is JsonObject ? json.ToJsonString(Readable) : throw ConfigurationException.At(pattern, "event pattern must be a mapping");
    }

    private static JsonNode? ToJson(YamlNode node, IntrinsicEvaluator evaluator) => node switch
    {
        _ when IntrinsicCall.Match(node) is not null => evaluator.GivesList(node)
            ? new JsonArray([.. evaluator.EvaluateList(node).Select(item => (JsonNode)JsonValue.Create(item))])
            : JsonValue.Create(evaluator.EvaluateString(node)),
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(entry =>
            KeyValuePair.Create(((YamlScalarNode)entry.Key).Value!, ToJson(entry.Value, evaluator)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(child => ToJson(child, evaluator))]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => PlainScalar(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw ConfigurationException.At(node, "unexpected YAML node in an event pattern"),
    };

    private static JsonValue? PlainScalar(string text) => text switch
    {
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        "null" or "~" or "" => null,
        _ when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(text),
    };
}
