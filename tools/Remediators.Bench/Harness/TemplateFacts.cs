using System.Globalization;
using Remediators.Local;
using Remediators.Local.Template;
using YamlDotNet.RepresentationModel;

namespace Remediators.Bench.Harness;

/// <summary>Settings of the template that shape a scenario, evaluated with the template's defaults (not samconfig.toml's).</summary>
internal sealed class TemplateFacts
{
    private const string FunctionType = "AWS::Serverless::Function";

    private readonly SamTemplate _template;
    private readonly IntrinsicEvaluator _evaluator;
    private readonly IReadOnlyDictionary<string, string> _defaults;

    private TemplateFacts(SamTemplate template)
    {
        _template = template;
        _defaults = ParameterResolver.Resolve(template, new Dictionary<string, string>(), new Dictionary<string, string>());
        _evaluator = new IntrinsicEvaluator(template, _defaults, BenchAccount.Region, TextWriter.Null);
    }

    public static TemplateFacts Load(string repoRoot) => new(SamTemplate.Load(Path.Combine(repoRoot, "template.yaml")));

    /// <summary>BatchSize of the function's SQS event source.</summary>
    public int SqsBatchSize(string functionId)
    {
        var source = _template.FunctionEvents(functionId).Values.OfType<YamlMappingNode>()
            .SingleOrDefault(e => (SamTemplate.Child(e, "Type") as YamlScalarNode)?.Value == "SQS")
            ?? throw new ConfigurationException($"{functionId} has no SQS event source in template.yaml");
        return Number(SamTemplate.Child(SamTemplate.Child(source, "Properties") as YamlMappingNode, "BatchSize"), $"{functionId}'s SQS BatchSize");
    }

    /// <summary>The function's ReservedConcurrentExecutions: how many of its invocations Lambda runs at once.</summary>
    public int ReservedConcurrency(string functionId)
    {
        var function = _template.ResourcesOfType(FunctionType).Single(f => f.LogicalId == functionId);
        return Number(SamTemplate.Child(function.Properties, "ReservedConcurrentExecutions"), $"{functionId}'s ReservedConcurrentExecutions");
    }

    /// <summary>The default of a Number parameter, e.g. SweepConcurrency.</summary>
    public int NumberParameter(string name) =>
        _defaults.TryGetValue(name, out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ConfigurationException($"template.yaml's parameter {name} has no positive whole number default");

    private int Number(YamlNode? node, string what) =>
        node is not null && int.TryParse(_evaluator.EvaluateString(node), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ConfigurationException($"template.yaml sets no positive whole number for {what}");
}
