using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Remediators.Core.Aws;

namespace Remediators.Local.Routing;

/// <summary>
/// Decides which routes an event takes with a real EventBridge pattern matcher: the routes' rules are created on a
/// fresh event bus of the emulator, each with its own SQS queue as target, the event is put on the bus, and the queues
/// that received it name the routes. Schedules have no pattern; a scheduled event takes the schedule route whose rule
/// its <c>resources</c> ARN names, as EventBridge delivers it straight to that rule's target.
/// </summary>
internal sealed class EventRouter(EventBridgeClient eventBridge, IAmazonSQS sqs)
{
    public const string ScheduledSource = "aws.events";
    public const string ScheduledDetailType = "Scheduled Event";

    public async Task<IReadOnlyList<EventRoute>> RouteAsync(IReadOnlyList<EventRoute> routes, byte[] eventJson, CancellationToken cancellationToken)
    {
        var envelope = Envelope.Parse(eventJson);
        var enabled = routes.Where(r => r.Enabled).ToList();
        if (envelope.Source == ScheduledSource && envelope.DetailType == ScheduledDetailType)
            return [.. enabled.Where(r => r.IsSchedule && envelope.Resources.Any(arn => NamesRule(arn, r.Rule)))];

        var bus = $"remediators-route-{Guid.NewGuid():N}"[..32];
        await eventBridge.CreateEventBusAsync(bus, cancellationToken);
        var installed = new List<(EventRoute Route, string RuleName, string QueueUrl)>();
        try
        {
            foreach (var (route, index) in enabled.Where(r => !r.IsSchedule).Select((r, i) => (r, i)))
            {
                var name = $"{bus}-{index}";
                var queueUrl = (await sqs.CreateQueueAsync(name, cancellationToken)).QueueUrl;
                installed.Add((route, name, queueUrl));
                var queueArn = (await sqs.GetQueueAttributesAsync(queueUrl, [QueueAttributeName.QueueArn], cancellationToken)).QueueARN;
                try
                {
                    await eventBridge.PutRuleAsync(name, route.EventPattern!, cancellationToken, bus);
                }
                catch (AwsServiceException e) when (e.StatusCode is >= 400 and < 500)
                {
                    throw new ConfigurationException($"EventBridge refused the pattern of rule {route.Rule}: {e.Message}", e);
                }
                await eventBridge.PutTargetsAsync(name, [new RuleTarget("queue", queueArn)], cancellationToken, bus);
            }

            var put = await eventBridge.PutEventsAsync(
                [new PutEventsEntry(envelope.Source, envelope.DetailType, envelope.Detail, envelope.Resources, bus)], cancellationToken);
            if (put.FailedEntryCount > 0)
                throw new ConfigurationException($"EventBridge refused the event: {put.Entries[0].ErrorCode} {put.Entries[0].ErrorMessage}");

            var reached = new List<EventRoute>();
            foreach (var (route, _, queueUrl) in installed)
            {
                var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 0 }, cancellationToken);
                if (received.Messages is { Count: > 0 })
                    reached.Add(route);
            }
            return reached;
        }
        finally
        {
            await RemoveAsync(bus, installed);
        }
    }

    // A schedule's physical rule name is "<stack>-<RuleLogicalId>-<suffix>", so the logical id is one of its dash-separated words.
    private static bool NamesRule(string arn, string ruleLogicalId) =>
        arn.Split(":rule/", 2) is [_, var name] && name.Split('/')[^1].Split('-').Contains(ruleLogicalId, StringComparer.Ordinal);

    private async Task RemoveAsync(string bus, List<(EventRoute Route, string RuleName, string QueueUrl)> installed)
    {
        foreach (var (_, name, queueUrl) in installed)
        {
            await eventBridge.RemoveTargetsAsync(name, ["queue"], CancellationToken.None, bus);
            await eventBridge.DeleteRuleAsync(name, CancellationToken.None, bus);
            await sqs.DeleteQueueAsync(queueUrl);
        }
        await eventBridge.DeleteEventBusAsync(bus, CancellationToken.None);
    }

    private sealed record Envelope(string Source, string DetailType, string Detail, IReadOnlyList<string> Resources)
    {
        public static Envelope Parse(byte[] json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                var resources = root.TryGetProperty("resources", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Select(r => r.GetString() ?? "").ToList()
                    : [];
                return new Envelope(
                    Text(root, "source"), Text(root, "detail-type"),
                    root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Object ? detail.GetRawText() : "{}",
                    resources);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                throw new ConfigurationException($"the event is not an EventBridge event with source, detail-type and detail: {e.Message}", e);
            }
        }

        private static string Text(JsonElement root, string name) => root.GetProperty(name).GetString()
            ?? throw new InvalidOperationException($"'{name}' is not a string");
    }
}
