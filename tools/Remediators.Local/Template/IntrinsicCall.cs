using YamlDotNet.RepresentationModel;

namespace Remediators.Local.Template;

/// <summary>
/// A CloudFormation intrinsic function in either form: a short-form tag (<c>!Sub x</c>) or a one-key mapping
/// (<c>Fn::Sub: x</c>). <see cref="Name"/> is always the long name ("Ref", "Condition", "Fn::Sub"...).
/// </summary>
/// <param name="Argument">
/// For a short-form tag this is the tagged node itself, so callers read its value or items and never evaluate it whole.
/// </param>
internal readonly record struct IntrinsicCall(string Name, YamlNode Argument)
{
    public static IntrinsicCall? Match(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? "" : node.Tag.Value;
        if (tag.Length > 1 && tag[0] == '!')
        {
            return new IntrinsicCall(tag is "!Ref" or "!Condition" ? tag[1..] : "Fn::" + tag[1..], node);
        }

        if (node is YamlMappingNode { Children.Count: 1 } mapping
            && mapping.Children.First() is { Key: YamlScalarNode { Value: { } key }, Value: var argument }
            && (key is "Ref" or "Condition" || key.StartsWith("Fn::", StringComparison.Ordinal)))
        {
            return new IntrinsicCall(key, argument);
        }

        return null;
    }

    public string ScalarArgument() =>
        Argument is YamlScalarNode { Value: { } value }
            ? value
            : throw ConfigurationException.At(Argument, $"{Name} expects a string");

    public IList<YamlNode> ListArgument(int count) =>
        Argument is YamlSequenceNode sequence && sequence.Children.Count == count
            ? sequence.Children
            : throw ConfigurationException.At(Argument, $"{Name} expects a list of {count} items");

    public IList<YamlNode> ListArgument() =>
        Argument is YamlSequenceNode sequence
            ? sequence.Children
            : throw ConfigurationException.At(Argument, $"{Name} expects a list");
}
