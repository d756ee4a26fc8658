using System.Text;
using Remediators.Core.Aws;
using Remediators.Core.Remediation;

namespace Remediators.Core.Notifications;

/// <summary>The notification topic, as far as publishing outcomes needs it.</summary>
public interface INotificationTopic
{
    string Arn { get; }

    Task PublishAsync(string subject, string message, CancellationToken cancellationToken);
}

/// <summary>The event bus outcomes go to, as far as publishing outcomes needs it.</summary>
public interface IOutcomeEventBus
{
    string Arn { get; }

    Task PutEventAsync(string source, string detailType, string detail, CancellationToken cancellationToken);
}

/// <summary>A target an outcome could not be published to, after retries.</summary>
public sealed record PublishFailure(string Target, Exception Error);

/// <summary>
/// Sends every outcome to the event bus and the statuses people must read to the topic. A failure to publish never
/// undoes or repeats a remediation: it is returned, so the caller logs it and counts it in a metric that raises an alarm.
/// </summary>
public sealed class OutcomePublisher(INotificationTopic? topic, IReadOnlySet<OutcomeStatus> notifyStatuses, IOutcomeEventBus? bus)
{
    public static readonly OutcomePublisher None = new(null, new HashSet<OutcomeStatus>(), null);

    public static OutcomePublisher FromSettings(OutcomePublishingSettings settings, AwsClients aws) => new(
        settings.TopicArn is { } topicArn ? new SnsTopic(aws.Sns(RegionOf(topicArn)), topicArn) : null,
        settings.NotifyStatuses,
        settings.EventBusArn is { } busArn ? new EventBridgeBus(aws.EventBridge(RegionOf(busArn)), busArn, RetryBackoff.Default) : null);

    public async Task<IReadOnlyList<PublishFailure>> PublishAsync(Outcome outcome, CancellationToken cancellationToken)
    {
        var failures = new List<PublishFailure>();
        if (bus is not null)
        {
            var detail = Encoding.UTF8.GetString(OutcomeRecordFit.Fit(outcome, OutcomeMessage.MaxBytes));
            await TryAsync(bus.Arn, () => bus.PutEventAsync(OutcomeMessage.EventSource, OutcomeMessage.DetailType(outcome.Status), detail, cancellationToken), failures);
        }
        if (topic is not null && notifyStatuses.Contains(outcome.Status))
            await TryAsync(topic.Arn, () => topic.PublishAsync(OutcomeMessage.Subject(outcome), OutcomeMessage.Text(outcome), cancellationToken), failures);
        return failures;
    }

    private static async Task TryAsync(string target, Func<Task> publish, List<PublishFailure> failures)
    {
        try
        {
            await publish();
        }
        // Whatever went wrong (an AWS error, the network, a timeout), the remediation stands and the failure is reported.
        catch (Exception error)
        {
            failures.Add(new PublishFailure(target, error));
        }
    }

    // arn:partition:service:region:account:resource
    private static string RegionOf(string arn) => arn.Split(':')[3];

    private sealed class SnsTopic(SnsClient sns, string arn) : INotificationTopic
    {
        public string Arn => arn;

        public Task PublishAsync(string subject, string message, CancellationToken cancellationToken) =>
            sns.PublishAsync(arn, subject, message, cancellationToken);
    }

    private sealed class EventBridgeBus(EventBridgeClient events, string arn, RetryBackoff retry) : IOutcomeEventBus
    {
        public string Arn => arn;

        // PutEvents answers 200 even when its entry failed; a throttled or internal entry failure is worth a retry too.
        public Task PutEventAsync(string source, string detailType, string detail, CancellationToken cancellationToken) =>
            retry.ExecuteAsync(async () =>
            {
                var response = await events.PutEventsAsync([new PutEventsEntry(source, detailType, detail, [], arn)], cancellationToken);
                if (response.FailedEntryCount > 0)
                {
                    var entry = response.Entries.Count > 0 ? response.Entries[0] : null;
                    throw new AwsServiceException("events", "PutEvents", 200, entry?.ErrorCode ?? "Unknown", entry?.ErrorMessage ?? "the entry was not accepted");
                }
                return true;
            }, error => error is AwsServiceException { IsTransient: true }, cancellationToken);
    }
}
