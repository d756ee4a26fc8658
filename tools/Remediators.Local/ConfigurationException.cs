using YamlDotNet.RepresentationModel;

namespace Remediators.Local;

/// <summary>
/// The command line, template.yaml, samconfig.toml or an env-vars file asks for something that cannot run.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static ConfigurationException At(YamlNode node, string message) =>
        new($"template.yaml line {node.Start.Line}: {message}");
}
