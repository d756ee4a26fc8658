using System.Collections.ObjectModel;

namespace Remediators.Local;

/// <summary>One local invocation of a template function.</summary>
/// <param name="RepoRoot">The folder holding template.yaml (and samconfig.toml, the Makefile, functions/).</param>
/// <param name="LogicalId">The function's logical id in template.yaml.</param>
/// <param name="Event">The event JSON handed to the function as is.</param>
public sealed record InvokeRequest(string RepoRoot, string LogicalId, byte[] Event)
{
    /// <summary>Set as <c>AWS_ENDPOINT_URL</c>, so every AWS client of the function talks to it.</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>Defaults to AWS_REGION / AWS_DEFAULT_REGION (from <see cref="ProcessEnvironment"/>, then this process), else us-east-1.</summary>
    public string? Region { get; init; }

    /// <summary>Template parameter values; they win over samconfig.toml and the template's defaults.</summary>
    public IReadOnlyDictionary<string, string> ParameterOverrides { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Environment variable values that replace the template's, like an env-vars file section: undeclared names are ignored.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOverrides { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>
    /// A folder the function is already published to (e.g. a ReadyToRun or Native AOT variant), run as it is instead of
    /// building with make. A <c>bootstrap</c> executable in it is started directly, as Lambda's provided.al2023 runtime does.
    /// </summary>
    public string? ArtifactsFolder { get; init; }

    /// <summary>Extra variables for the function process (e.g. AWS credentials); the template's variables and Lambda's reserved ones win.</summary>
    public IReadOnlyDictionary<string, string> ProcessEnvironment { get; init; } = ReadOnlyDictionary<string, string>.Empty;
}
