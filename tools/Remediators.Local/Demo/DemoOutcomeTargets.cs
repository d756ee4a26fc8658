using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Remediators.Core.Aws;
using Remediators.Core.Notifications;

namespace Remediators.Local.Demo;

/// <summary>
/// Where the demo's functions publish their outcomes, as the stack's topic and bus would receive them: an SNS topic with a
/// queue subscribed in place of an e-mail address, and an event bus whose rule on the outcomes' source feeds a queue.
/// </summary>
internal sealed class DemoOutcomeTargets
{
    private const string Name = "remediators-demo-outcomes";

    private readonly AmazonSQSClient _sqs;
    private readonly string _topicQueueUrl;
    private readonly string _busQueueUrl;

    private DemoOutcomeTargets(AmazonSQSClient sqs, string topicQueueUrl, string busQueueUrl, IReadOnlyDictionary<string, string> variables)
    {
        _sqs = sqs;
        _topicQueueUrl = topicQueueUrl;
        _busQueueUrl = busQueueUrl;
        Variables = variables;
    }

    /// <summary>The function variables that point publishing at these targets (as an env-vars file would).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    public static async Task<DemoOutcomeTargets> CreateAsync(AwsClients clients, string region, CancellationToken cancellationToken)
    {
        var sqs = clients.Sdk<AmazonSQSClient, AmazonSQSConfig>(region, (credentials, config) => new AmazonSQSClient(credentials, config));
        var topicQueueUrl = (await sqs.CreateQueueAsync($"{Name}-notifications", cancellationToken)).QueueUrl;
        var busQueueUrl = (await sqs.CreateQueueAsync($"{Name}-events", cancellationToken)).QueueUrl;
        async Task<string> ArnOf(string url) => (await sqs.GetQueueAttributesAsync(url, ["QueueArn"], cancellationToken)).QueueARN;

        var sns = clients.Sns(region);
        var topicArn = await sns.CreateTopicAsync(Name, cancellationToken);
        await sns.SubscribeAsync(topicArn, "sqs", await ArnOf(topicQueueUrl), cancellationToken);

        var events = clients.EventBridge(region);
        var busArn = (await events.CreateEventBusAsync(Name, cancellationToken)).EventBusArn;
        await events.PutRuleAsync(Name, $$"""{"source":["{{OutcomeMessage.EventSource}}"]}""", cancellationToken, eventBusName: Name);
        await events.PutTargetsAsync(Name, [new RuleTarget("outcomes", await ArnOf(busQueueUrl))], cancellationToken, eventBusName: Name);

        var variables = new Dictionary<string, string>
        {
            [OutcomePublishingSettings.TopicArnVariable] = topicArn,
            [OutcomePublishingSettings.EventBusArnVariable] = busArn,
        };
        return new DemoOutcomeTargets(sqs, topicQueueUrl, busQueueUrl, variables);
    }

    /// <summary>The subjects of the notifications the topic delivered.</summary>
    public async Task<IReadOnlyList<string>> NotificationSubjectsAsync(CancellationToken cancellationToken) =>
        [.. (await DrainAsync(_topicQueueUrl, cancellationToken)).Select(body => Field(body, "Subject"))];

    /// <summary>The detail-types of the outcome events the bus delivered.</summary>
    public async Task<IReadOnlyList<string>> OutcomeEventTypesAsync(CancellationToken cancellationToken) =>
        [.. (await DrainAsync(_busQueueUrl, cancellationToken)).Select(body => Field(body, "detail-type"))];

    private async Task<List<string>> DrainAsync(string queueUrl, CancellationToken cancellationToken)
    {
        var bodies = new List<string>();
        while (true)
        {
            var received = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 }, cancellationToken);
            if (received.Messages is not { Count: > 0 } messages)
                return bodies;
            bodies.AddRange(messages.Select(m => m.Body));
            await _sqs.DeleteMessageBatchAsync(queueUrl, [.. messages.Select((m, i) => new DeleteMessageBatchRequestEntry($"{i}", m.ReceiptHandle))], cancellationToken);
        }
    }

    private static string Field(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).GetString() ?? "";
    }
}
