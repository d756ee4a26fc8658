using Tomlyn;
using Tomlyn.Model;

namespace Remediators.Local.Template;

internal static class SamConfig
{
    public const string FileName = "samconfig.toml";

    /// <summary>
    /// Reads <c>[default.deploy.parameters] parameter_overrides</c>, which SAM writes either as one string
    /// (<c>"A=1 B=\"x y\""</c>) or as an array of <c>"K=V"</c> strings.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadDeployParameterOverrides(string repoRoot)
    {
        var path = Path.Combine(repoRoot, FileName);
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>();
        }

        TomlTable document;
        try
        {
            document = TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(path)) ?? [];
        }
        catch (TomlException e)
        {
            throw new ConfigurationException($"{FileName} is not valid TOML: {e.Message}", e);
        }

        var overrides = Value(Table(Table(Table(document, "default"), "deploy"), "parameters"), "parameter_overrides");
        return overrides switch
        {
            null => new Dictionary<string, string>(),
            string text => ParameterOverrides.Parse([text]),
            TomlArray items when items.All(item => item is string) => ParameterOverrides.Parse(items.Cast<string>()),
            _ => throw new ConfigurationException($"{FileName}: parameter_overrides must be a string or an array of strings."),
        };
    }

    private static TomlTable? Table(TomlTable? parent, string key) =>
        Value(parent, key) switch
        {
            null => null,
            TomlTable table => table,
            _ => throw new ConfigurationException($"{FileName}: '{key}' must be a table."),
        };

    private static object? Value(TomlTable? table, string key) =>
        table is not null && table.TryGetValue(key, out var value) ? value : null;
}
