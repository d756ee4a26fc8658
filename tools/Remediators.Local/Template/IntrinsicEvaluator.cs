using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Remediators.Local.Template;

/// <summary>
/// Evaluates the intrinsic functions that can appear in a function's settings, the way <c>sam local</c> does:
/// resources resolve to their logical id and attributes (<c>!GetAtt</c>, <c>${X.Attr}</c>) to an empty string.
/// </summary>
internal sealed class IntrinsicEvaluator
{
    public const string AccountId = "123456789012";
    public const string StackName = "remediators-local";

    private readonly SamTemplate _template;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly Dictionary<string, string> _pseudoParameters;
    private readonly TextWriter _warnings;
    private readonly Dictionary<string, bool> _conditionValues = new(StringComparer.Ordinal);
    private readonly HashSet<string> _conditionsBeingEvaluated = new(StringComparer.Ordinal);

    public IntrinsicEvaluator(SamTemplate template, IReadOnlyDictionary<string, string> parameters, string region, TextWriter warnings)
    {
        _template = template;
        _parameters = parameters;
        _warnings = warnings;
        _pseudoParameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS::Region"] = region,
            ["AWS::AccountId"] = AccountId,
            ["AWS::Partition"] = "aws",
            ["AWS::StackName"] = StackName,
            ["AWS::StackId"] = $"arn:aws:cloudformation:{region}:{AccountId}:stack/{StackName}/00000000-0000-0000-0000-000000000000",
            ["AWS::URLSuffix"] = "amazonaws.com",
        };
    }

    /// <returns>The value, or null when the node evaluates to <c>AWS::NoValue</c>.</returns>
    public string? EvaluateString(YamlNode node)
    {
        if (IntrinsicCall.Match(node) is not { } call)
        {
            return node is YamlScalarNode scalar
                ? scalar.Value ?? ""
                : throw ConfigurationException.At(node, "expected a string value");
        }

        return call.Name switch
        {
            "Ref" => Ref(call.ScalarArgument(), node),
            "Fn::Sub" => Sub(call),
            "Fn::If" => If(call, EvaluateString),
            "Fn::Join" => Join(call),
            "Fn::Select" => Select(call),
            "Fn::FindInMap" => FindInMap(call),
            "Fn::GetAtt" => AttributeUnavailable(GetAttName(call)),
            _ => throw ConfigurationException.At(node, $"{call.Name} is not supported when running locally"),
        };
    }

    public IReadOnlyList<string> EvaluateList(YamlNode node)
    {
        if (IntrinsicCall.Match(node) is not { } call)
        {
            return node is YamlSequenceNode sequence
                ? [.. sequence.Children.Select(EvaluateString).OfType<string>()]
                : throw ConfigurationException.At(node, "expected a list");
        }

        return call.Name switch
        {
            "Ref" when _template.Parameters.GetValueOrDefault(call.ScalarArgument()) is { IsList: true } parameter =>
                _parameters[parameter.Name].Split(','),
            "Fn::Split" => Split(call),
            "Fn::If" => If(call, EvaluateList),
            _ => throw ConfigurationException.At(node, $"{call.Name} does not give a list here"),
        };
    }

    /// <summary>Whether <paramref name="node"/> stands for a list (a sequence, <c>Fn::Split</c>, a list parameter) rather than a string.</summary>
    public bool GivesList(YamlNode node) => IntrinsicCall.Match(node) switch
    {
        null => node is YamlSequenceNode,
        { Name: "Fn::Split" } => true,
        { Name: "Ref" } call => _template.Parameters.GetValueOrDefault(call.ScalarArgument()) is { IsList: true },
        { Name: "Fn::If" } call => call.ListArgument(3) is var items && GivesList(IsConditionTrue(((YamlScalarNode)items[0]).Value ?? "", items[0]) ? items[1] : items[2]),
        _ => false,
    };

    public bool IsConditionTrue(string name, YamlNode location)
    {
        if (_conditionValues.TryGetValue(name, out var known))
        {
            return known;
        }

        if (!_template.Conditions.TryGetValue(name, out var definition))
        {
            throw ConfigurationException.At(location, $"unknown condition '{name}'");
        }

        if (!_conditionsBeingEvaluated.Add(name))
        {
            throw ConfigurationException.At(definition, $"condition '{name}' depends on itself");
        }

        var value = EvaluateCondition(definition);
        _conditionsBeingEvaluated.Remove(name);
        return _conditionValues[name] = value;
    }

    private bool EvaluateCondition(YamlNode node)
    {
        var call = IntrinsicCall.Match(node) ?? throw ConfigurationException.At(node, "expected a condition function");
        return call.Name switch
        {
            "Fn::Equals" => call.ListArgument(2) is var pair && EvaluateString(pair[0]) == EvaluateString(pair[1]),
            "Fn::Not" => !EvaluateCondition(call.ListArgument(1)[0]),
            "Fn::And" => call.ListArgument().All(EvaluateCondition),
            "Fn::Or" => call.ListArgument().Any(EvaluateCondition),
            "Condition" => IsConditionTrue(call.ScalarArgument(), node),
            _ => throw ConfigurationException.At(node, $"{call.Name} is not a condition function"),
        };
    }

    private string? Ref(string name, YamlNode location)
    {
        if (name == "AWS::NoValue")
        {
            return null;
        }

        if (_parameters.TryGetValue(name, out var parameter))
        {
            return parameter;
        }

        if (_pseudoParameters.TryGetValue(name, out var pseudoParameter))
        {
            return pseudoParameter;
        }

        return _template.ResourceIds.Contains(name)
            ? name
            : throw ConfigurationException.At(location, $"'{name}' is not a parameter, pseudo parameter or resource");
    }

    private string Sub(IntrinsicCall call)
    {
        var (textNode, variables) = call.Argument is YamlSequenceNode
            ? (call.ListArgument(2)[0], call.ListArgument(2)[1] as YamlMappingNode
                ?? throw ConfigurationException.At(call.Argument, "Fn::Sub variables must be a mapping"))
            : (call.Argument, null);
        var text = textNode is YamlScalarNode { Value: { } value }
            ? value
            : throw ConfigurationException.At(textNode, "Fn::Sub expects a string");

        var result = new StringBuilder();
        var position = 0;
        while (text.IndexOf("${", position, StringComparison.Ordinal) is var start and >= 0
            && text.IndexOf('}', start + 2) is var end and >= 0)
        {
            result.Append(text, position, start - position);
            result.Append(SubVariable(text[(start + 2)..end], variables, textNode));
            position = end + 1;
        }

        return result.Append(text, position, text.Length - position).ToString();
    }

    private string SubVariable(string name, YamlMappingNode? variables, YamlNode location)
    {
        if (name.StartsWith('!'))
        {
            return "${" + name[1..] + "}";
        }

        if (SamTemplate.Child(variables, name) is { } variable)
        {
            return EvaluateString(variable) ?? "";
        }

        return name.Contains('.', StringComparison.Ordinal)
            ? AttributeUnavailable(name)
            : Ref(name, location) ?? "";
    }

    private T If<T>(IntrinsicCall call, Func<YamlNode, T> evaluate)
    {
        var items = call.ListArgument(3);
        var conditionName = items[0] is YamlScalarNode { Value: { } name }
            ? name
            : throw ConfigurationException.At(items[0], "Fn::If expects a condition name first");
        return evaluate(IsConditionTrue(conditionName, items[0]) ? items[1] : items[2]);
    }

    private string Join(IntrinsicCall call)
    {
        var items = call.ListArgument(2);
        return string.Join(EvaluateString(items[0]), EvaluateList(items[1]));
    }

    private string Select(IntrinsicCall call)
    {
        var items = call.ListArgument(2);
        var list = EvaluateList(items[1]);
        return int.TryParse(EvaluateString(items[0]), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count
            ? list[index]
            : throw ConfigurationException.At(call.Argument, $"Fn::Select index is not within the {list.Count} items");
    }

    private string[] Split(IntrinsicCall call)
    {
        var items = call.ListArgument(2);
        var separator = EvaluateString(items[0]);
        return string.IsNullOrEmpty(separator)
            ? throw ConfigurationException.At(items[0], "Fn::Split needs a separator")
            : (EvaluateString(items[1]) ?? "").Split(separator);
    }

    private string? FindInMap(IntrinsicCall call)
    {
        var keys = call.ListArgument(3).Select(key => EvaluateString(key) ?? "").ToArray();
        return EvaluateString(_template.FindInMap(keys[0], keys[1], keys[2], call.Argument));
    }

    private static string GetAttName(IntrinsicCall call) =>
        call.Argument is YamlSequenceNode
            ? string.Join('.', call.ListArgument(2).Select(part => (part as YamlScalarNode)?.Value))
            : call.ScalarArgument();

    private string AttributeUnavailable(string attribute)
    {
        _warnings.WriteLine($"warning: {attribute} is a resource attribute, which has no local value; using an empty string.");
        return "";
    }
}
