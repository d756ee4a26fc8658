namespace Remediators.Local.Template;

internal static class ParameterResolver
{
    /// <summary>
    /// Gives every template parameter a value: its Default, replaced by samconfig.toml's value, replaced by the command line's.
    /// Overrides for parameters the template does not declare are ignored, as SAM does.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Resolve(
        SamTemplate template,
        IReadOnlyDictionary<string, string> samconfigOverrides,
        IReadOnlyDictionary<string, string> commandLineOverrides)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var parameter in template.Parameters.Values)
        {
            var value = commandLineOverrides.GetValueOrDefault(parameter.Name)
                ?? samconfigOverrides.GetValueOrDefault(parameter.Name)
                ?? parameter.Default;
            if (value is null)
            {
                missing.Add(parameter.Name);
            }
            else
            {
                values[parameter.Name] = value;
            }
        }

        return missing.Count == 0
            ? values
            : throw new ConfigurationException(
                $"No value for template parameter(s) {string.Join(", ", missing)}: they have no Default and neither "
                + $"{SamConfig.FileName} nor --parameter-overrides sets them (e.g. --parameter-overrides {missing[0]}=<value>).");
    }
}
