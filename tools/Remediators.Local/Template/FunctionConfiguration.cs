using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Remediators.Local.Template;

/// <summary>A function's settings with every intrinsic evaluated: what the local runtime needs to start it.</summary>
internal sealed record FunctionConfiguration(
    string LogicalId,
    string Handler,
    string Runtime,
    int TimeoutSeconds,
    int MemorySizeMb,
    IReadOnlyDictionary<string, string> Environment)
{
    // Lambda's defaults when neither the function nor Globals.Function sets them.
    public const int DefaultTimeoutSeconds = 3;
    public const int DefaultMemorySizeMb = 128;

    public const string ManagedRuntime = "dotnet10";

    /// <summary>The OS-only runtime, which starts the function's Native AOT <c>bootstrap</c>.</summary>
    public const string NativeRuntime = "provided.al2023";

    public bool IsNative => Runtime == NativeRuntime;

    public static FunctionConfiguration Resolve(TemplateFunction function, IntrinsicEvaluator evaluator)
    {
        var handler = function.Handler is { } handlerNode ? evaluator.EvaluateString(handlerNode) : null;
        if (string.IsNullOrEmpty(handler))
        {
            throw new ConfigurationException($"{function.LogicalId} has no Handler in its Properties or in Globals.Function.");
        }

        var runtime = function.Runtime is { } runtimeNode ? evaluator.EvaluateString(runtimeNode) : null;
        if (runtime is not (ManagedRuntime or NativeRuntime))
        {
            throw new ConfigurationException(
                $"{function.LogicalId} has Runtime '{runtime}'; the local runner starts {ManagedRuntime} and {NativeRuntime} functions only.");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in function.EnvironmentVariables)
        {
            if (evaluator.EvaluateString(node) is { } value)
            {
                environment[name] = value;
            }
        }

        return new FunctionConfiguration(
            function.LogicalId,
            handler,
            runtime,
            PositiveInteger(function.Timeout, DefaultTimeoutSeconds),
            PositiveInteger(function.MemorySize, DefaultMemorySizeMb),
            environment);

        int PositiveInteger(YamlNode? node, int fallback) =>
            node is null ? fallback
            : int.TryParse(evaluator.EvaluateString(node), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 ? number
            : throw ConfigurationException.At(node, $"{function.LogicalId} needs a positive whole number here");
    }

    /// <summary>
    /// Applies overrides the way <c>sam local invoke --env-vars</c> does: only variables the template declares for the function change.
    /// </summary>
    public FunctionConfiguration WithEnvironmentOverrides(IReadOnlyDictionary<string, string> overrides, TextWriter warnings)
    {
        var environment = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        var undeclared = new List<string>();
        foreach (var (name, value) in overrides)
        {
            if (environment.ContainsKey(name))
            {
                environment[name] = value;
            }
            else
            {
                undeclared.Add(name);
            }
        }

        if (undeclared.Count > 0)
        {
            undeclared.Sort(StringComparer.Ordinal);
            warnings.WriteLine(
                $"warning: ignoring environment overrides that template.yaml does not declare for {LogicalId}: {string.Join(", ", undeclared)}");
        }

        return this with { Environment = environment };
    }
}
