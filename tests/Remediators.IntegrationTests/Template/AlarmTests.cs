using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>Every alarm reaches people through the notification topic, and nothing that needs a person goes without one.</summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed class AlarmTests(TransformedTemplate template)
{
    [Fact]
    public void EveryAlarm_NotifiesTheTopic_WhenItFiresAndWhenItRecovers()
    {
        var alarms = template.OfType("AWS::CloudWatch::Alarm").ToList();

        var silent = alarms.Where(a => !NotifiesTheTopic(a.Properties, "AlarmActions") || !NotifiesTheTopic(a.Properties, "OKActions")).Select(a => a.Id);

        Assert.NotEmpty(alarms);
        Assert.Empty(silent);
    }

    [Fact]
    public void EveryDeadLetterQueue_HasAnAlarmOnItsFirstMessage()
    {
        var deadLetterQueues = template.DeadLetterQueues();

        var unwatched = deadLetterQueues.Where(queue => !Alarms().Any(alarm =>
            Metric(alarm) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
            && Dimension(alarm, "QueueName") is { } name && Intrinsics.GetAtt(name, "QueueName") == queue
            && FiresAtOneOrMore(alarm)));

        // The failure queue, the findings DLQ and one per rule target.
        Assert.True(deadLetterQueues.Count > 2, string.Join(", ", deadLetterQueues));
        Assert.Empty(unwatched);
    }

    [Theory]
    [InlineData("Errors")]
    [InlineData("Throttles")]
    public void EveryFunction_HasAnAlarmOn(string metric)
    {
        var functions = template.OfType("AWS::Lambda::Function").Select(f => f.Id).ToList();

        var unwatched = functions.Where(function => !Alarms().Any(alarm =>
            Metric(alarm) == ("AWS/Lambda", metric)
            && Dimension(alarm, "FunctionName") is { } name && Intrinsics.Ref(name) == function
            && FiresAtOneOrMore(alarm)));

        Assert.NotEmpty(functions);
        Assert.Empty(unwatched);
    }

    private IEnumerable<JsonElement> Alarms() => template.OfType("AWS::CloudWatch::Alarm").Select(a => a.Properties);

    private static bool NotifiesTheTopic(JsonElement alarm, string actions) =>
        Intrinsics.Property(alarm, actions) is { ValueKind: JsonValueKind.Array } list
        && list.EnumerateArray().Any(action => Intrinsics.Ref(action) == "NotificationTopic");

    private static (string?, string?) Metric(JsonElement alarm) =>
        (Intrinsics.Property(alarm, "Namespace")?.GetString(), Intrinsics.Property(alarm, "MetricName")?.GetString());

    private static JsonElement? Dimension(JsonElement alarm, string name) =>
        Intrinsics.Property(alarm, "Dimensions") is { } dimensions
            ? dimensions.EnumerateArray().Where(d => d.GetProperty("Name").GetString() == name).Select(d => (JsonElement?)d.GetProperty("Value")).FirstOrDefault()
            : null;

    private static bool FiresAtOneOrMore(JsonElement alarm) =>
        alarm.GetProperty("ComparisonOperator").GetString() == "GreaterThanOrEqualToThreshold" && alarm.GetProperty("Threshold").GetDouble() == 1;
}
