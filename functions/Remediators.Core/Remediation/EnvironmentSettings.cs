using System.Net;

namespace Remediators.Core.Remediation;

/// <summary>Typed, validated reads of environment variables; every failure names the variable and the fix.</summary>
public sealed class EnvironmentSettings(Func<string, string?> read)
{
    public static EnvironmentSettings FromProcess() => new(Environment.GetEnvironmentVariable);

    public string? Optional(string name) => read(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>True when the variable exists, even if empty (an empty list then means "none", not "the default").</summary>
    public bool IsSet(string name) => read(name) is not null;

    public string Required(string name, string fix) =>
        Optional(name) ?? throw new SettingsException(name, "is not set", fix);

    public bool Flag(string name, bool defaultValue) => Optional(name) switch
    {
        null => defaultValue,
        var v when bool.TryParse(v, out var parsed) => parsed,
        var v => throw new SettingsException(name, $"'{v}' is not true or false", "Use true or false."),
    };

    public int WholeNumber(string name, int defaultValue, int min, int max)
    {
        var text = Optional(name);
        if (text is null)
            return defaultValue;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new SettingsException(name, $"'{text}' is not a whole number from {min} to {max}", $"Use a number from {min} to {max}.");
        return value;
    }

    public double Number(string name, double defaultValue, double min, double max)
    {
        var text = Optional(name);
        if (text is null)
            return defaultValue;
        if (!double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new SettingsException(name, $"'{text}' is not a number from {min} to {max}", $"Use a number from {min} to {max}.");
        return value;
    }

    /// <summary>A comma-separated list; blanks are dropped, so an empty variable is an empty list.</summary>
    public IReadOnlyList<string> List(string name, IReadOnlyList<string>? defaultValue = null) =>
        Optional(name) is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : defaultValue ?? [];

    public IReadOnlyList<IPNetwork> Cidrs(string name) => List(name).Select(text =>
        IPNetwork.TryParse(text, out var network)
            ? network
            : throw new SettingsException(name, $"'{text}' is not a CIDR block", "Use CIDRs such as 203.0.113.0/24 or 2001:db8::/32, comma-separated.")).ToList();

    public RemediationMode Mode() => Optional(RemediationModes.Variable)?.ToLowerInvariant() switch
    {
        null or "dry-run" or "dryrun" => RemediationMode.DryRun,
        "enforce" => RemediationMode.Enforce,
        var v => throw new SettingsException(RemediationModes.Variable, $"'{v}' is not a mode", "Use enforce or dry-run."),
    };

    public ExemptionPolicy Exemptions(string tagKeyVariable, string tagValueVariable, string allowlistVariable) =>
        new(Optional(tagKeyVariable), Optional(tagValueVariable), List(allowlistVariable).ToHashSet(StringComparer.Ordinal));
}
