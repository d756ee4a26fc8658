using System.Text.Json;

namespace Remediators.Core.Events;

/// <summary>Case-insensitive reads into the free-form parts of events (CloudTrail request and response elements).</summary>
public static class JsonPaths
{
    /// <summary>The non-empty string at <paramref name="path"/>, or null.</summary>
    public static string? StringAt(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (!element.TryGetPropertyIgnoreCase(name, out element))
                return null;
        }
        return element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } value ? value : null;
    }

    /// <summary>The elements of the CloudTrail-style list <c>{ "&lt;listName&gt;": { "items": [...] } }</c>.</summary>
    public static IEnumerable<JsonElement> ItemsAt(this JsonElement element, string listName) =>
        element.TryGetPropertyIgnoreCase(listName, out var list) &&
        list.TryGetPropertyIgnoreCase("items", out var items) &&
        items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray()
            : [];

    public static bool TryGetPropertyIgnoreCase(this JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }
        value = default;
        return false;
    }
}
