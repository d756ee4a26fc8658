using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using Remediators.Core.Aws;
using Remediators.IntegrationTests.Fixtures;
using Remediators.Local.Template;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Remediators.IntegrationTests.UnusedKeyDisabler;

/// <summary>The template's real UnusedKeyDisabler event patterns, installed in moto's EventBridge, route the sample events.</summary>
[Collection(MotoCollection.Name)]
public sealed class UnusedKeyRoutingTests(MotoServer moto)
{
    [Theory]
    [InlineData("unused-key-disabler/config-unused-credentials-noncompliant.json", "ConfigNonCompliant")]
    [InlineData("unused-key-disabler/guardduty-compromised-long-term-key.json", "AccessKeyFinding")]
    [InlineData("unused-key-disabler/guardduty-temporary-key.json", "AccessKeyFinding")]
    [InlineData("public-ingress-revoker/config-restricted-ssh-noncompliant.json", null)]
    public async Task Sample_ReachesOnlyItsRule(string sample, string? expectedRule)
    {
        var queues = await InstallRulesAsync();
        using var sampleEvent = JsonDocument.Parse(File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "events", sample)));
        var root = sampleEvent.RootElement;

        var put = await moto.Clients.EventBridge(MotoServer.Region).PutEventsAsync(
            [new PutEventsEntry(root.GetProperty("source").GetString()!, root.GetProperty("detail-type").GetString()!, root.GetProperty("detail").GetRawText(), [])],
            CancellationToken.None);

        Assert.Equal(0, put.FailedEntryCount);
        var reached = new List<string>();
        foreach (var (rule, queueUrl) in queues)
        {
            var received = await moto.Sqs().ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 0 });
            if (received.Messages is { Count: > 0 })
                reached.Add(rule);
        }
        Assert.Equal(expectedRule is null ? [] : [expectedRule], reached);
    }

    /// <summary>Each EventBridgeRule of the function becomes a moto rule with its own queue as target.</summary>
    private async Task<Dictionary<string, string>> InstallRulesAsync()
    {
        var templatePath = Path.Combine(LocalInvoke.RepoRoot, "template.yaml");
        var template = SamTemplate.Load(templatePath);
        var defaults = template.Parameters.Values.ToDictionary(p => p.Name, p => p.Default ?? "");
        var evaluator = new IntrinsicEvaluator(template, defaults, MotoServer.Region, TextWriter.Null);
        var stream = new YamlStream();
        using (var reader = File.OpenText(templatePath))
            stream.Load(reader);
        var function = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["Resources"])["UnusedKeyDisabler"];
        var events = (YamlMappingNode)((YamlMappingNode)function["Properties"])["Events"];

        var queues = new Dictionary<string, string>();
        var eventBridge = moto.Clients.EventBridge(MotoServer.Region);
        foreach (var (name, definition) in events.Children.Select(e => (((YamlScalarNode)e.Key).Value!, (YamlMappingNode)e.Value)))
        {
            if (((YamlScalarNode)definition["Type"]).Value != "EventBridgeRule")
                continue;
            var pattern = ToJson(((YamlMappingNode)definition["Properties"])["Pattern"], evaluator).ToJsonString();
            var unique = $"ukd-{name}-{Guid.NewGuid():N}"[..40];
            var queueUrl = (await moto.Sqs().CreateQueueAsync(unique)).QueueUrl;
            var queueArn = (await moto.Sqs().GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
            await eventBridge.PutRuleAsync(unique, pattern, CancellationToken.None);
            await eventBridge.PutTargetsAsync(unique, [new RuleTarget("queue", queueArn)], CancellationToken.None);
            queues[name] = queueUrl;
        }
        return queues;
    }

    private static JsonNode ToJson(YamlNode node, IntrinsicEvaluator evaluator) => node switch
    {
        _ when IntrinsicCall.Match(node) is not null => new JsonArray([.. evaluator.EvaluateList(node).Select(v => (JsonNode)JsonValue.Create(v))]),
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(entry =>
            KeyValuePair.Create(((YamlScalarNode)entry.Key).Value!, (JsonNode?)ToJson(entry.Value, evaluator)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(child => ToJson(child, evaluator))]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } flag => JsonValue.Create(flag.Value == "true"),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new InvalidOperationException($"unexpected YAML node {node}"),
    };
}
