namespace Remediators.Core.Remediation;

/// <summary>A setting is missing or invalid; raised at start-up so the function fails loudly before acting.</summary>
public sealed class SettingsException(string variable, string problem, string fix)
    : Exception($"{variable}: {problem}. {fix}")
{
    public string Variable { get; } = variable;
}
