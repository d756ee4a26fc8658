using Remediators.IntegrationTests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// What template.yaml's policies grant a function: its own statements and those of the managed policies it names with
/// <c>!Ref</c>, read from the template as written. A statement written as <c>!If [Condition, statement, !Ref AWS::NoValue]</c>
/// counts as granted; an action any Deny names does not. <see cref="RolePolicies"/> reads the deployed shape, condition by condition.
/// </summary>
public static class TemplatePolicies
{
    private static readonly YamlMappingNode Resources = Load();

    public static IEnumerable<string> GrantedActions(string logicalId)
    {
        var statements = Statements(logicalId).ToList();
        var denied = statements.Where(s => Effect(s) == "Deny").SelectMany(Actions).ToHashSet(StringComparer.Ordinal);
        return statements.Where(s => Effect(s) == "Allow").SelectMany(Actions).Where(a => !denied.Contains(a));
    }

    public static IEnumerable<YamlMappingNode> Statements(string logicalId) =>
        ((YamlSequenceNode)Properties(logicalId)["Policies"]).SelectMany(policy => policy switch
        {
            YamlMappingNode inline => StatementsOf(inline),
            YamlScalarNode { Tag.Value: "!Ref" } managed => StatementsOf((YamlMappingNode)Properties(managed.Value!)["PolicyDocument"]),
            _ => throw new InvalidOperationException($"{logicalId}: a policy must be a document or a !Ref of an AWS::IAM::ManagedPolicy."),
        });

    private static IEnumerable<YamlMappingNode> StatementsOf(YamlMappingNode document) =>
        ((YamlSequenceNode)document["Statement"]).SelectMany(statement => statement switch
        {
            YamlSequenceNode { Tag.Value: "!If" } conditional => conditional.Children.Skip(1).OfType<YamlMappingNode>(),
            _ => [(YamlMappingNode)statement],
        });

    private static string? Effect(YamlMappingNode statement) => (statement["Effect"] as YamlScalarNode)?.Value;

    private static IEnumerable<string> Actions(YamlMappingNode statement) => statement["Action"] switch
    {
        YamlSequenceNode list => list.Cast<YamlScalarNode>().Select(a => a.Value!),
        YamlScalarNode single => [single.Value!],
        _ => throw new InvalidOperationException("Action must be a string or a list."),
    };

    private static YamlMappingNode Properties(string logicalId) =>
        (YamlMappingNode)((YamlMappingNode)Resources[logicalId])["Properties"];

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "template.yaml"))));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["Resources"];
    }
}
