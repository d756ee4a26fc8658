using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Remediators.IntegrationTests.Resilience.Fuzzing;

/// <summary>
/// Structure-aware mutations of an event: it walks the JSON and, mostly at the fields the function reads (its schema), drops,
/// duplicates or retypes a field, blows an array up to ten thousand items, puts odd Unicode in a string or an invalid or
/// special address where an address goes. A few mutants are broken at the byte level instead. Nested JSON documents
/// (an SQS message body) are mutated inside. Everything comes from one seeded <see cref="Random"/>, so a seed replays a run.
/// </summary>
public sealed class EventMutator(Random random, IReadOnlyCollection<string> schemaPaths)
{
    private const int HugeArrayLength = 10_000;

    private readonly Dictionary<string, JsonNode> _parsed = [];

    // Huge arrays are written as text: ten thousand nodes per mutant would cost more than running it.
    private readonly Dictionary<JsonNode, string> _rawValues = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, string> _hugeArrays = [];
    private EventMutator? _nested;

    private static readonly string[] Addresses =
    [
        "0.0.0.0", "255.255.255.255", "127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1",
        "240.0.0.1", "192.0.0.8", "198.18.0.1", "::", "::1", "fe80::1%eth0", "fe80::1", "fc00::1", "ff02::1", "2001::1", "::ffff:10.0.0.1",
        "::ffff:203.0.113.5", "1.2.3", "1.2.3.4.5", "01.2.3.4", "0x7f.0.0.1", "256.1.1.1", "1.2.3.-4", "127.1", "2130706433", "1.2.3.4/32",
        "0.0.0.0/0", "::/0", "203.0.113.0/24", "2001:db8::/32", "2001:db8::1/129", " 203.0.113.5", "203.0.113.5 ", "203.0.113.5\n",
        "２０３.０.１１３.５", "203.0.113.5\u200b", "2001:db8::g", ":::", "1::2::3", "203.0.113.5:22", "[2001:db8::1]", "", "x",
    ];

    private static readonly Func<string, string>[] OddUnicode =
    [
        s => s + "\u200b", s => "\u202e" + s, s => s + "\u0301\u0301\u0301", s => s.Replace('a', 'а').Replace('e', 'е').Replace('o', 'о'),
        s => s + "\0", s => "\ufeff" + s, s => s.ToUpperInvariant(), s => s + "\u2028", s => s + "😈", s => s.Normalize(NormalizationForm.FormKD) + "\u00a0",
        s => new string('\u00e9', 10_000), s => string.Concat(s.Select(c => char.IsAsciiDigit(c) ? (char)(c - '0' + '０') : c)), _ => "\ud800", s => s + "\udfff",
    ];

    /// <summary>A mutant of <paramref name="original"/>: one to four structural mutations, or (one time in twenty) broken bytes.</summary>
    public byte[] Mutate(string original)
    {
        if (random.Next(20) == 0)
            return BreakBytes(Encoding.UTF8.GetBytes(original));
        if (!_parsed.TryGetValue(original, out var parsed))
        {
            parsed = JsonNode.Parse(original)!;
            if (_parsed.Count < 64)
                _parsed[original] = parsed;
        }
        var root = parsed.DeepClone();
        var duplicates = new Dictionary<(JsonObject, string), JsonNode?>();
        _rawValues.Clear();
        foreach (var target in PickTargets(root, random.Next(1, 5)))
        {
            if (Locate(root, target) is { } located)
                root = MutateOnce(root, located, duplicates);
        }
        return Write(root, duplicates);
    }

    /// <summary>Where the target is now, or null when an earlier mutation dropped or replaced its branch.</summary>
    private static Target? Locate(JsonNode root, Target target)
    {
        if (target.Node is { } node)
        {
            if (node.Root != root)
                return null;
            object? key = node.Parent switch { JsonObject => node.GetPropertyName(), JsonArray => node.GetElementIndex(), _ => null };
            return new Target(node.Parent, key, node, target.Path);
        }
        var stillNull = (target.Parent, target.Key) switch
        {
            (JsonObject obj, string name) => obj.Root == root && obj.TryGetPropertyValue(name, out var value) && value is null,
            (JsonArray array, int index) => array.Root == root && index < array.Count && array[index] is null,
            _ => false,
        };
        return stillNull ? target : null;
    }

    private JsonNode MutateOnce(JsonNode root, Target target, Dictionary<(JsonObject, string), JsonNode?> duplicates)
    {
        var (parent, key, node, path) = target;
        if (node is JsonValue value && value.TryGetValue<string>(out var text) && text.TrimStart().StartsWith('{') && random.Next(2) == 0 && IsDocument(text))
        {
            // A document inside a string (an SQS body): mutate inside, and put it back as a string.
            _nested ??= new EventMutator(random, schemaPaths);
            var mutated = Encoding.UTF8.GetString(_nested.Mutate(text));
            return Replace(root, parent, key, JsonValue.Create(mutated));
        }
        return random.Next(12) switch
        {
            < 3 => Drop(root, parent, key),
            < 5 when parent is JsonObject obj && key is string name => Duplicate(root, obj, name, node, duplicates),
            < 8 => Replace(root, parent, key, Retyped(node)),
            < 9 => Replace(root, parent, key, Huge(node)),
            < 11 when IsAddressField(path) || random.Next(3) == 0 => Replace(root, parent, key, JsonValue.Create(Addresses[random.Next(Addresses.Length)])),
            _ => Replace(root, parent, key, JsonValue.Create(OddUnicode[random.Next(OddUnicode.Length)](node is JsonValue v && v.TryGetValue<string>(out var s) ? s : Text(node)))),
        };
    }

    /// <summary>Up to <paramref name="count"/> distinct nodes of one walk of the tree, each twenty-five times likelier when the function reads it.</summary>
    private List<Target> PickTargets(JsonNode root, int count)
    {
        var nodes = Walk(null, null, root, "").ToList();
        var weights = nodes.Select(n => schemaPaths.Contains(n.Path) ? 25 : 1).ToList();
        var picked = new List<Target>();
        for (var n = 0; n < count; n++)
        {
            var pick = random.Next(weights.Sum());
            var i = 0;
            while ((pick -= weights[i]) >= 0)
                i++;
            picked.Add(nodes[i]);
            weights[i] = 0;
            if (weights.Sum() == 0)
                break;
        }
        return picked;
    }

    /// <summary>A place in the tree: the node (null for a JSON null), where it hangs, and its schema path.</summary>
    private readonly record struct Target(JsonNode? Parent, object? Key, JsonNode? Node, string Path);

    private static bool IsAddressField(string path) =>
        path.Contains("ipaddress", StringComparison.Ordinal) || path.Contains("cidr", StringComparison.Ordinal);

    private static IEnumerable<Target> Walk(JsonNode? parent, object? key, JsonNode? node, string path)
    {
        yield return new Target(parent, key, node, path);
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj.ToList())
            {
                var childPath = path.Length == 0 ? name.ToLowerInvariant() : $"{path}.{name.ToLowerInvariant()}";
                foreach (var inner in Walk(obj, name, child, childPath))
                    yield return inner;
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                foreach (var inner in Walk(array, i, array[i], path))
                    yield return inner;
            }
        }
    }

    private static JsonNode Drop(JsonNode root, JsonNode? parent, object? key)
    {
        switch (parent, key)
        {
            case (JsonObject obj, string name):
                obj.Remove(name);
                return root;
            case (JsonArray array, int index):
                array.RemoveAt(index);
                return root;
            default:
                return new JsonObject();
        }
    }

    private JsonNode Duplicate(JsonNode root, JsonObject parent, string name, JsonNode? node, Dictionary<(JsonObject, string), JsonNode?> duplicates)
    {
        duplicates[(parent, name)] = random.Next(2) == 0 ? node?.DeepClone() : Retyped(node);
        return root;
    }

    private static JsonNode Replace(JsonNode root, JsonNode? parent, object? key, JsonNode? replacement)
    {
        switch (parent, key)
        {
            case (JsonObject obj, string name):
                obj[name] = replacement;
                return root;
            case (JsonArray array, int index):
                array[index] = replacement;
                return root;
            default:
                return replacement ?? JsonValue.Create("null");
        }
    }

    private JsonNode? Retyped(JsonNode? node)
    {
        JsonNode?[] others =
        [
            null, JsonValue.Create(true), JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1e308), JsonValue.Create(12345678901234567890m),
            JsonValue.Create(""), JsonValue.Create("null"), JsonValue.Create("NaN"), new JsonObject(), new JsonArray(), new JsonArray(1, 2),
            new JsonObject { ["value"] = node?.DeepClone() }, new JsonArray(node?.DeepClone()),
        ];
        var kind = node?.GetValueKind();
        var candidates = others.Where(o => o?.GetValueKind() != kind).ToList();
        return candidates[random.Next(candidates.Count)];
    }

    /// <summary>Ten thousand copies of a small value, or of a small stand-in for a large one.</summary>
    private JsonValue Huge(JsonNode? node)
    {
        var item = Text(node);
        if (item.Length > 40)
            item = random.Next(2) == 0 ? "\"x\"" : "\"203.0.113.5\"";
        if (!_hugeArrays.TryGetValue(item, out var array))
            _hugeArrays[item] = array = $"[{string.Join(',', Enumerable.Repeat(item, HugeArrayLength))}]";
        var placeholder = JsonValue.Create("huge array")!;
        _rawValues[placeholder] = array;
        return placeholder;
    }

    private byte[] BreakBytes(byte[] bytes) => random.Next(6) switch
    {
        0 => bytes[..random.Next(bytes.Length)],
        1 => [.. bytes.Take(random.Next(bytes.Length)), 0xC3, 0x28, .. bytes.Skip(random.Next(bytes.Length))],
        2 => [0xEF, 0xBB, 0xBF, .. bytes],
        3 => Encoding.UTF8.GetBytes(new string('[', 5_000) + new string(']', 5_000)),
        4 => Encoding.UTF8.GetBytes(random.Next(4) switch { 0 => "", 1 => "null", 2 => "[]", _ => "\"event\"" }),
        _ => [.. bytes, .. "}{"u8.ToArray()],
    };

    /// <summary>Whether a string holds a JSON document; nodes materialise lazily, so it is walked here, where a duplicate name throws.</summary>
    private static bool IsDocument(string text)
    {
        try
        {
            return Walk(null, null, JsonNode.Parse(text), "").Any();
        }
        catch (Exception error) when (error is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private string Text(JsonNode? node) => Encoding.UTF8.GetString(Write(node, []));

    /// <summary>Writes the tree, with a second copy of each duplicated property (the copy may hold another value).</summary>
    private byte[] Write(JsonNode? root, Dictionary<(JsonObject, string), JsonNode?> duplicates)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
            WriteNode(json, root, duplicates);
        return buffer.ToArray();
    }

    private void WriteNode(Utf8JsonWriter json, JsonNode? node, Dictionary<(JsonObject, string), JsonNode?> duplicates)
    {
        switch (node)
        {
            case JsonObject obj:
                json.WriteStartObject();
                foreach (var (name, child) in obj)
                {
                    var copies = duplicates.TryGetValue((obj, name), out var copy)
                        ? (random.Next(2) == 0 ? new[] { child, copy } : [copy, child])
                        : [child];
                    foreach (var value in copies)
                    {
                        json.WritePropertyName(name);
                        WriteNode(json, value, duplicates);
                    }
                }
                json.WriteEndObject();
                break;
            case JsonArray array:
                json.WriteStartArray();
                foreach (var item in array)
                    WriteNode(json, item, duplicates);
                json.WriteEndArray();
                break;
            case null:
                json.WriteNullValue();
                break;
            case JsonValue when _rawValues.TryGetValue(node, out var raw):
                json.WriteRawValue(raw, skipInputValidation: true);
                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Any(char.IsSurrogate):
                // The writer refuses unpaired surrogates, but a sender may well escape one: write the escapes by hand.
                json.WriteRawValue("\"" + string.Concat(text.Select(c => char.IsSurrogate(c) || c < ' ' || c is '"' or '\\' ? $"\\u{(int)c:x4}" : c.ToString())) + "\"", skipInputValidation: true);
                break;
            default:
                node.WriteTo(json);
                break;
        }
    }
}
