using System.Text.Json.Nodes;
using Remediators.Core.Notifications;
using Remediators.Core.Remediation;
using static Remediators.Tests.Core.Notifications.OutcomeSamples;

namespace Remediators.Tests.Core.Notifications;

public sealed class OutcomePublisherTests
{
    [Theory]
    [InlineData(OutcomeStatus.Remediated, true)]
    [InlineData(OutcomeStatus.Capped, true)]
    [InlineData(OutcomeStatus.Failed, true)]
    [InlineData(OutcomeStatus.AlreadyCompliant, false)]
    [InlineData(OutcomeStatus.DryRun, false)]
    [InlineData(OutcomeStatus.Rejected, false)]
    public async Task Publish_SendsEveryOutcomeToTheBusAndOnlyTheNotifiedStatusesToTheTopic(OutcomeStatus status, bool notified)
    {
        var (topic, bus) = (new RecordingTopic(), new RecordingBus());
        var outcome = Remediated(Changed("sg-1", Revoke("sgr-1"))) with { Status = status };

        var failures = await new OutcomePublisher(topic, OutcomePublishingSettings.DefaultNotifyStatuses, bus).PublishAsync(outcome, CancellationToken.None);

        Assert.Empty(failures);
        var (source, detailType, detail) = Assert.Single(bus.Events);
        Assert.Equal(("remediators", $"Remediation Outcome - {status}"), (source, detailType));
        Assert.Equal(status.ToString(), JsonNode.Parse(detail)!["status"]!.GetValue<string>());
        Assert.Equal(notified ? 1 : 0, topic.Messages.Count);
    }

    [Fact]
    public async Task Publish_WhenTheBusFails_StillNotifiesAndReportsTheBus()
    {
        var topic = new RecordingTopic();

        var failures = await new OutcomePublisher(topic, OutcomePublishingSettings.DefaultNotifyStatuses, new RecordingBus { Fails = true })
            .PublishAsync(Remediated(Changed("sg-1", Revoke("sgr-1"))), CancellationToken.None);

        Assert.Equal(RecordingBus.BusArn, Assert.Single(failures).Target);
        Assert.Single(topic.Messages);
    }

    private sealed class RecordingTopic : INotificationTopic
    {
        public List<(string Subject, string Message)> Messages { get; } = [];

        public string Arn => "arn:aws:sns:eu-west-1:123456789012:notifications";

        public Task PublishAsync(string subject, string message, CancellationToken cancellationToken)
        {
            Messages.Add((subject, message));
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingBus : IOutcomeEventBus
    {
        public const string BusArn = "arn:aws:events:eu-west-1:123456789012:event-bus/outcomes";

        public bool Fails { get; init; }

        public List<(string Source, string DetailType, string Detail)> Events { get; } = [];

        public string Arn => BusArn;

        public Task PutEventAsync(string source, string detailType, string detail, CancellationToken cancellationToken)
        {
            if (Fails)
                throw new HttpRequestException("connection refused");
            Events.Add((source, detailType, detail));
            return Task.CompletedTask;
        }
    }
}
