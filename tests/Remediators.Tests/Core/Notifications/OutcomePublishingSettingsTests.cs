using Remediators.Core.Notifications;
using Remediators.Core.Remediation;

namespace Remediators.Tests.Core.Notifications;

public sealed class OutcomePublishingSettingsTests
{
    private const string Topic = "arn:aws:sns:eu-west-1:123456789012:remediators-NotificationTopic-1A2B";
    private const string Bus = "arn:aws:events:eu-west-1:123456789012:event-bus/remediators-outcomes";

    private static EnvironmentSettings Env(params (string Name, string Value)[] values) =>
        new(name => values.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void FromEnvironment_WithNothingSet_PublishesNowhere()
    {
        var settings = OutcomePublishingSettings.FromEnvironment(Env());

        Assert.Equal((null, null), (settings.TopicArn, settings.EventBusArn));
    }

    [Fact]
    public void FromEnvironment_WithTopicAndBus_NotifiesRemediatedCappedAndFailedByDefault()
    {
        var settings = OutcomePublishingSettings.FromEnvironment(Env(
            (OutcomePublishingSettings.TopicArnVariable, Topic), (OutcomePublishingSettings.EventBusArnVariable, Bus)));

        Assert.Equal((Topic, Bus), (settings.TopicArn, settings.EventBusArn));
        Assert.Equal([OutcomeStatus.Remediated, OutcomeStatus.Capped, OutcomeStatus.Failed], settings.NotifyStatuses.Order());
    }

    [Fact]
    public void FromEnvironment_WithEmptyNotifyStatuses_SendsNoOutcomeToTheTopic() =>
        Assert.Empty(OutcomePublishingSettings.FromEnvironment(Env((OutcomePublishingSettings.NotifyStatusesVariable, ""))).NotifyStatuses);

    [Fact]
    public void FromEnvironment_ReadsStatusesCaseInsensitively() =>
        Assert.Equal([OutcomeStatus.DryRun, OutcomeStatus.Failed],
            OutcomePublishingSettings.FromEnvironment(Env((OutcomePublishingSettings.NotifyStatusesVariable, "failed, DRYRUN"))).NotifyStatuses.Order());

    [Theory]
    [InlineData(OutcomePublishingSettings.TopicArnVariable, "NotificationTopic")]
    [InlineData(OutcomePublishingSettings.TopicArnVariable, "arn:aws:sqs:eu-west-1:123456789012:queue")]
    [InlineData(OutcomePublishingSettings.EventBusArnVariable, "default")]
    [InlineData(OutcomePublishingSettings.NotifyStatusesVariable, "Remediated,Changed")]
    public void FromEnvironment_WithAnInvalidValue_FailsNamingTheVariable(string variable, string value) =>
        Assert.Equal(variable, Assert.Throws<SettingsException>(() => OutcomePublishingSettings.FromEnvironment(Env((variable, value)))).Variable);
}
