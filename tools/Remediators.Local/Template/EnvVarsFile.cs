using System.Text.Json;

namespace Remediators.Local.Template;

/// <summary>
/// Reads a <c>sam local invoke --env-vars</c> file: <c>{"Parameters": {...}, "&lt;LogicalId&gt;": {...}}</c>.
/// </summary>
internal static class EnvVarsFile
{
    private const string AllFunctionsSection = "Parameters";

    /// <returns>The top-level Parameters section overlaid with the function's own section.</returns>
    public static IReadOnlyDictionary<string, string> ReadForFunction(string path, string logicalId)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"Env vars file not found: {path}");
        }

        using var document = Parse(path);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigurationException($"{path} must hold a JSON object.");
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sectionName in new[] { AllFunctionsSection, logicalId })
        {
            if (!document.RootElement.TryGetProperty(sectionName, out var section))
            {
                continue;
            }

            if (section.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"{path}: '{sectionName}' must be an object of variable names to values.");
            }

            foreach (var variable in section.EnumerateObject())
            {
                variables[variable.Name] = variable.Value.ValueKind switch
                {
                    JsonValueKind.String => variable.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => variable.Value.GetRawText(),
                    _ => throw new ConfigurationException($"{path}: {sectionName}.{variable.Name} must be a string, number or boolean."),
                };
            }
        }

        return variables;
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
