using Amazon.SQS;
using Amazon.SQS.Model;
using Remediators.Core.Aws;
using Remediators.Core.Notifications;

namespace Remediators.Local.Emulator;

/// <summary>
/// Where functions run locally publish their outcomes (the demo, the tests), as the stack's topic and bus would receive them:
/// an SNS topic with a queue subscribed in place of an e-mail address, and an event bus whose rule on the outcomes' source
/// feeds a queue.
/// </summary>
internal sealed class OutcomeTargets
{
    private readonly AmazonSQSClient _sqs;
    private readonly string _topicQueueUrl;
    private readonly string _busQueueUrl;

    private OutcomeTargets(AmazonSQSClient sqs, string topicQueueUrl, string busQueueUrl, IReadOnlyDictionary<string, string> variables)
    {
        _sqs = sqs;
        _topicQueueUrl = topicQueueUrl;
        _busQueueUrl = busQueueUrl;
        Variables = variables;
    }

    /// <summary>The function variables that point publishing at these targets (as an env-vars file would).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <param name="name">Names the topic, the bus, its rule and (with a suffix) the two queues.</param>
    public static async Task<OutcomeTargets> CreateAsync(AwsClients clients, string region, string name, CancellationToken cancellationToken)
    {
        var sqs = clients.Sdk<AmazonSQSClient, AmazonSQSConfig>(region, (credentials, config) => new AmazonSQSClient(credentials, config));
        var topicQueueUrl = (await sqs.CreateQueueAsync($"{name}-notifications", cancellationToken)).QueueUrl;
        var busQueueUrl = (await sqs.CreateQueueAsync($"{name}-events", cancellationToken)).QueueUrl;
        async Task<string> ArnOf(string url) => (await sqs.GetQueueAttributesAsync(url, ["QueueArn"], cancellationToken)).QueueARN;

        var sns = clients.Sns(region);
        var topicArn = await sns.CreateTopicAsync(name, cancellationToken);
        await sns.SubscribeAsync(topicArn, "sqs", await ArnOf(topicQueueUrl), cancellationToken);

        var events = clients.EventBridge(region);
        var busArn = (await events.CreateEventBusAsync(name, cancellationToken)).EventBusArn;
        await events.PutRuleAsync(name, $$"""{"source":["{{OutcomeMessage.EventSource}}"]}""", cancellationToken, eventBusName: name);
        await events.PutTargetsAsync(name, [new RuleTarget("outcomes", await ArnOf(busQueueUrl))], cancellationToken, eventBusName: name);

        var variables = new Dictionary<string, string>
        {
            [OutcomePublishingSettings.TopicArnVariable] = topicArn,
            [OutcomePublishingSettings.EventBusArnVariable] = busArn,
        };
        return new OutcomeTargets(sqs, topicQueueUrl, busQueueUrl, variables);
    }

    /// <summary>The notifications the topic delivered since the last call, each in SNS's JSON envelope (Subject, Message...).</summary>
    public Task<List<string>> TakeNotificationsAsync(CancellationToken cancellationToken) => DrainAsync(_topicQueueUrl, cancellationToken);

    /// <summary>The outcome events the bus delivered since the last call, each as the EventBridge event JSON.</summary>
    public Task<List<string>> TakeOutcomeEventsAsync(CancellationToken cancellationToken) => DrainAsync(_busQueueUrl, cancellationToken);

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
}
