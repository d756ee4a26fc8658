using YamlDotNet.RepresentationModel;

namespace Remediators.Tests.AttackerIpBlocker;

/// <summary>
/// Anyone who can put a message on the findings queue can have an address blocked, so the queue's policy must refuse every
/// sender but the findings rule, even principals of the account whose IAM policies allow sqs:SendMessage (moto does not
/// enforce queue policies, so the template itself is checked).
/// </summary>
public sealed class FindingsQueuePolicyTests
{
    private static readonly YamlSequenceNode Statements = LoadStatements();

    [Fact]
    public void QueuePolicy_AllowsOnlyEventBridgeForTheFindingsRule()
    {
        var allow = Assert.Single(Statements.Cast<YamlMappingNode>(), s => Scalar(s["Effect"]) == "Allow");

        Assert.Equal("events.amazonaws.com", Scalar(((YamlMappingNode)allow["Principal"])["Service"]));
        Assert.Equal("sqs:SendMessage", Scalar(allow["Action"]));
        Assert.Equal(("!GetAtt", "AttackerFindingRule.Arn"), Tagged(((YamlMappingNode)((YamlMappingNode)allow["Condition"])["ArnEquals"])["aws:SourceArn"]));
    }

    [Fact]
    public void QueuePolicy_DeniesEverySenderWhoseSourceIsNotTheFindingsRule()
    {
        var deny = Assert.Single(Statements.Cast<YamlMappingNode>(), s => Scalar(s["Effect"]) == "Deny");

        Assert.Equal("*", Scalar(deny["Principal"]));
        Assert.Equal("sqs:SendMessage", Scalar(deny["Action"]));
        Assert.Equal(("!GetAtt", "FindingsQueue.Arn"), Tagged(deny["Resource"]));
        // ArnNotEquals is true when the key is absent, as it is for every IAM principal: only the rule's deliveries pass.
        Assert.Equal(("!GetAtt", "AttackerFindingRule.Arn"), Tagged(((YamlMappingNode)((YamlMappingNode)deny["Condition"])["ArnNotEquals"])["aws:SourceArn"]));
    }

    private static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;

    private static (string?, string?) Tagged(YamlNode node) => (node.Tag.Value, Scalar(node));

    private static YamlSequenceNode LoadStatements()
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Path.Combine(RepoPaths.Root, "template.yaml"));
        stream.Load(reader);
        var policy = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["Resources"])["FindingsQueuePolicy"];
        return (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)policy["Properties"])["PolicyDocument"])["Statement"];
    }
}
