using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using Remediators.Core.Aws;
using Remediators.Core.Notifications;
using Remediators.IntegrationTests.Fixtures;
using static Remediators.IntegrationTests.Fixtures.Seed;

namespace Remediators.IntegrationTests.Notifications;

/// <summary>
/// Outcome records leave the function for real: a topic on moto's SNS with a queue subscribed (as an e-mail or chat
/// subscription would be), and an event bus on moto's EventBridge with a rule on the outcomes' source, as a SIEM would have.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class OutcomePublishingTests(MotoServer moto)
{
    private const string SampleGroupId = "sg-0a1b2c3d4e5f60718";

    [Fact]
    public async Task Revoke_PublishesItsOutcomeToTheTopicAndTheEventBus()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), $"published-{Guid.NewGuid():N}"[..18]);
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"));
        var (publishing, topicQueue, busQueue) = await SubscribedTargetsAsync();

        var answer = await moto.InvokeAsync("PublicIngressRevoker", RevokeEvent(group), new Dictionary<string, string> { ["Mode"] = "enforce" },
            environmentOverrides: publishing);

        Assert.True(answer.Answered, answer.Logs);
        var notification = JsonNode.Parse(await ReceiveOneAsync(topicQueue))!;
        Assert.Equal($"Remediated: PublicIngressRevoker {group} ({MotoServer.AccountId} {MotoServer.Region})", notification["Subject"]!.GetValue<string>());
        var message = notification["Message"]!.GetValue<string>();
        Assert.StartsWith($"PublicIngressRevoker made 1 change(s) to 1 resource(s) in account {MotoServer.AccountId}, region {MotoServer.Region}.", message, StringComparison.Ordinal);
        Assert.Contains("To undo: ", message, StringComparison.Ordinal);
        var outcomeEvent = JsonNode.Parse(await ReceiveOneAsync(busQueue))!;
        Assert.Equal(("remediators", "Remediation Outcome - Remediated"), (outcomeEvent["source"]!.GetValue<string>(), outcomeEvent["detail-type"]!.GetValue<string>()));
        Assert.Equal(group, outcomeEvent["detail"]!["resources"]![0]!["resourceId"]!.GetValue<string>());
        Assert.Equal(answer.Body.GetProperty("eventId").GetString(), outcomeEvent["detail"]!["eventId"]!.GetValue<string>());
    }

    // Invalid input is answered, not failed: Lambda does not retry it, so it never reaches a dead-letter queue.
    [Fact]
    public async Task MalformedEvent_IsAnsweredAsRejected_AndGoesToTheBusButNotToTheTopic()
    {
        var (publishing, topicQueue, busQueue) = await SubscribedTargetsAsync();

        var answer = await moto.InvokeAsync("PublicIngressRevoker", """{"detail-type": 42}""", environmentOverrides: publishing);

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Rejected", answer.Status);
        Assert.Equal("Remediation Outcome - Rejected", JsonNode.Parse(await ReceiveOneAsync(busQueue))!["detail-type"]!.GetValue<string>());
        // The SDK leaves Messages null when the queue is empty.
        Assert.Null((await moto.Sqs().ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = topicQueue, WaitTimeSeconds = 1 })).Messages);
    }

    private async Task<(Dictionary<string, string> Publishing, string TopicQueue, string BusQueue)> SubscribedTargetsAsync()
    {
        var name = $"outcomes-{Guid.NewGuid():N}";
        var sqs = moto.Sqs();
        var topicQueue = (await sqs.CreateQueueAsync($"{name}-topic")).QueueUrl;
        var busQueue = (await sqs.CreateQueueAsync($"{name}-bus")).QueueUrl;
        async Task<string> ArnOf(string url) => (await sqs.GetQueueAttributesAsync(url, ["QueueArn"])).QueueARN;

        var sns = moto.Clients.Sns(MotoServer.Region);
        var topic = await sns.CreateTopicAsync(name, CancellationToken.None);
        await sns.SubscribeAsync(topic, "sqs", await ArnOf(topicQueue), CancellationToken.None);

        var events = moto.Clients.EventBridge(MotoServer.Region);
        var bus = (await events.CreateEventBusAsync(name, CancellationToken.None)).EventBusArn;
        await events.PutRuleAsync(name, """{"source":["remediators"]}""", CancellationToken.None, eventBusName: name);
        await events.PutTargetsAsync(name, [new RuleTarget("siem", await ArnOf(busQueue))], CancellationToken.None, eventBusName: name);

        var publishing = new Dictionary<string, string>
        {
            [OutcomePublishingSettings.TopicArnVariable] = topic,
            [OutcomePublishingSettings.EventBusArnVariable] = bus,
        };
        return (publishing, topicQueue, busQueue);
    }

    private async Task<string> ReceiveOneAsync(string queueUrl)
    {
        var received = await moto.Sqs().ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 5, MaxNumberOfMessages = 10 });
        return Assert.Single(received.Messages).Body;
    }

    private static string RevokeEvent(string groupId) =>
        LocalInvoke.SampleEvent("public-ingress-revoker/authorize-security-group-ingress.json", (SampleGroupId, groupId));
}
