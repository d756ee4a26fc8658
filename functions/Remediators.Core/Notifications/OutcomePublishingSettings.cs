using System.Text.RegularExpressions;
using Remediators.Core.Remediation;

namespace Remediators.Core.Notifications;

/// <summary>
/// Where outcome records go besides the invocation's answer: an SNS topic for the statuses people must read and an
/// EventBridge bus for every outcome. Either may be off (null), as it is when running locally without them.
/// </summary>
public sealed partial record OutcomePublishingSettings(string? TopicArn, IReadOnlySet<OutcomeStatus> NotifyStatuses, string? EventBusArn)
{
    public const string TopicArnVariable = "NOTIFICATION_TOPIC_ARN";
    public const string NotifyStatusesVariable = "NOTIFY_STATUSES";
    public const string EventBusArnVariable = "OUTCOME_EVENT_BUS_ARN";

    /// <summary>What each function's role needs to publish: to the bus, and to a topic encrypted with a customer managed KMS key.</summary>
    public static readonly string[] IamActions = ["events:PutEvents", "sns:Publish", "kms:GenerateDataKey", "kms:Decrypt"];

    public static readonly IReadOnlySet<OutcomeStatus> DefaultNotifyStatuses =
        new HashSet<OutcomeStatus> { OutcomeStatus.Remediated, OutcomeStatus.Capped, OutcomeStatus.Failed };

    public static OutcomePublishingSettings FromEnvironment(EnvironmentSettings environment)
    {
        var topic = environment.Optional(TopicArnVariable);
        if (topic is not null && !TopicArnPattern().IsMatch(topic))
            throw new SettingsException(TopicArnVariable, $"'{topic}' is not an SNS topic ARN", "Use arn:aws:sns:<region>:<account>:<name>, or leave it empty to send no notifications.");
        var bus = environment.Optional(EventBusArnVariable);
        if (bus is not null && !EventBusArnPattern().IsMatch(bus))
            throw new SettingsException(EventBusArnVariable, $"'{bus}' is not an EventBridge event bus ARN", "Use arn:aws:events:<region>:<account>:event-bus/<name>, or leave it empty to send no outcome events.");
        // Set but empty means no status reaches the topic (its alarms still do).
        var statuses = !environment.IsSet(NotifyStatusesVariable)
            ? DefaultNotifyStatuses
            : environment.List(NotifyStatusesVariable).Select(text => Enum.TryParse<OutcomeStatus>(text, ignoreCase: true, out var status)
                ? status
                : throw new SettingsException(NotifyStatusesVariable, $"'{text}' is not an outcome status", $"Use some of {string.Join(", ", Enum.GetNames<OutcomeStatus>())}, comma-separated.")).ToHashSet();
        return new OutcomePublishingSettings(topic, statuses, bus);
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}\z")]
    private static partial Regex TopicArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]{1,256}\z")]
    private static partial Regex EventBusArnPattern();
}
