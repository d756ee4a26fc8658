using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Remediators.Local.Template;

internal sealed record TemplateParameter(string Name, string Type, string? Default)
{
    public bool IsList => Type == "CommaDelimitedList" || Type.StartsWith("List<", StringComparison.Ordinal);
}

/// <summary>A resource as written: its logical id, the Condition it depends on (if any) and its Properties.</summary>
internal sealed record TemplateResource(string LogicalId, string? Condition, YamlMappingNode Properties);

/// <summary>A function's settings as written in the template (Globals.Function already merged in), not yet evaluated.</summary>
internal sealed record TemplateFunction(
    string LogicalId,
    YamlNode? Handler,
    YamlNode? Runtime,
    YamlNode? Timeout,
    YamlNode? MemorySize,
    IReadOnlyDictionary<string, YamlNode> EnvironmentVariables);

/// <summary>
/// A SAM template read with YamlDotNet's representation model, so CloudFormation short-form tags (!Ref, !Sub...) survive as node tags.
/// </summary>
internal sealed class SamTemplate
{
    private const string FunctionType = "AWS::Serverless::Function";

    private readonly YamlMappingNode _resources;
    private readonly YamlMappingNode? _globalFunction;
    private readonly IReadOnlyDictionary<string, YamlNode> _mappings;

    private SamTemplate(YamlMappingNode root)
    {
        _resources = Mapping(root, "Resources") ?? throw new ConfigurationException("template.yaml has no Resources section.");
        _globalFunction = Mapping(Mapping(root, "Globals"), "Function");
        _mappings = Entries(Mapping(root, "Mappings"));
        Conditions = Entries(Mapping(root, "Conditions"));
        Parameters = Entries(Mapping(root, "Parameters")).ToDictionary(
            entry => entry.Key,
            entry => ReadParameter(entry.Key, entry.Value),
            StringComparer.Ordinal);
        ResourceIds = Entries(_resources).Keys.ToHashSet(StringComparer.Ordinal);
        FunctionIds = [.. Entries(_resources)
            .Where(resource => resource.Value is YamlMappingNode definition && Scalar(Child(definition, "Type")) == FunctionType)
            .Select(resource => resource.Key)
            .Order(StringComparer.Ordinal)];
    }

    public IReadOnlyDictionary<string, TemplateParameter> Parameters { get; }

    public IReadOnlyDictionary<string, YamlNode> Conditions { get; }

    public IReadOnlySet<string> ResourceIds { get; }

    public IReadOnlyList<string> FunctionIds { get; }

    public static SamTemplate Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"Template not found: {path}");
        }

        using var reader = File.OpenText(path);
        return Parse(reader);
    }

    public static SamTemplate Parse(TextReader reader)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ConfigurationException($"template.yaml is not valid YAML: {e.Message}", e);
        }

        return stream.Documents is [{ RootNode: YamlMappingNode root }, ..]
            ? new SamTemplate(root)
            : throw new ConfigurationException("template.yaml does not hold a YAML mapping.");
    }

    public TemplateFunction GetFunction(string logicalId)
    {
        if (!FunctionIds.Contains(logicalId))
        {
            throw new ConfigurationException(
                $"'{logicalId}' is not an {FunctionType} in template.yaml. Functions: {string.Join(", ", FunctionIds)}.");
        }

        var properties = Mapping((YamlMappingNode)Child(_resources, logicalId)!, "Properties");
        var variables = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var source in new[] { _globalFunction, properties })
        {
            foreach (var (name, value) in Entries(Mapping(Mapping(source, "Environment"), "Variables")))
            {
                variables[name] = value;
            }
        }

        return new TemplateFunction(logicalId, Setting("Handler"), Setting("Runtime"), Setting("Timeout"), Setting("MemorySize"), variables);

        YamlNode? Setting(string name) => Child(properties, name) ?? Child(_globalFunction, name);
    }

    /// <summary>Every resource of <paramref name="type"/> (whatever its Condition), with its Properties (empty when it has none).</summary>
    public IEnumerable<TemplateResource> ResourcesOfType(string type) =>
        from resource in Entries(_resources)
        let definition = resource.Value as YamlMappingNode
        where definition is not null && Scalar(Child(definition, "Type")) == type
        select new TemplateResource(resource.Key, Scalar(Child(definition, "Condition")), Mapping(definition, "Properties") ?? new YamlMappingNode());

    /// <summary>A function's <c>Events</c>, by name: each a mapping with Type and Properties.</summary>
    public IReadOnlyDictionary<string, YamlNode> FunctionEvents(string functionId) =>
        Entries(Mapping(ResourcesOfType(FunctionType).Single(f => f.LogicalId == functionId).Properties, "Events"));

    public YamlNode FindInMap(string mapName, string topLevelKey, string secondLevelKey, YamlNode location) =>
        Child(Mapping(_mappings.GetValueOrDefault(mapName) as YamlMappingNode, topLevelKey), secondLevelKey)
            ?? throw ConfigurationException.At(location, $"Mappings has no {mapName}.{topLevelKey}.{secondLevelKey}");

    public static YamlNode? Child(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static YamlMappingNode? Mapping(YamlMappingNode? parent, string key) => Child(parent, key) switch
    {
        null => null,
        YamlMappingNode mapping => mapping,
        var other => throw ConfigurationException.At(other, $"'{key}' must be a mapping"),
    };

    private static Dictionary<string, YamlNode> Entries(YamlMappingNode? mapping) =>
        mapping is null
            ? new Dictionary<string, YamlNode>(StringComparer.Ordinal)
            : mapping.Children.ToDictionary(
                entry => Scalar(entry.Key) ?? throw ConfigurationException.At(entry.Key, "keys must be plain strings"),
                entry => entry.Value,
                StringComparer.Ordinal);

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static TemplateParameter ReadParameter(string name, YamlNode definition)
    {
        var mapping = definition as YamlMappingNode ?? throw ConfigurationException.At(definition, $"parameter {name} must be a mapping");
        return new TemplateParameter(name, Scalar(Child(mapping, "Type")) ?? "String", Scalar(Child(mapping, "Default")));
    }
}
