using System.Text.Json;
using Remediators.Core.Remediation;

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

    // The Capped and publishing alarms watch metrics the functions write as EMF lines: a name or dimension set the report
    // step does not write would leave an alarm that can never fire.
    [Fact]
    public void EveryAlarmOnTheFunctionsMetrics_WatchesAMetricTheReportStepWrites_ByADimensionSetItDeclares()
    {
        using var line = JsonDocument.Parse(EmfMetrics.Format(
            new Outcome("Fn", "e", null, null, OutcomeStatus.Capped, "", false, [], Outcome.EmptyCounts, 0), DateTimeOffset.UnixEpoch, 0));
        var directive = line.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        var written = directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()).ToHashSet();
        var dimensionSets = directive.GetProperty("Dimensions").EnumerateArray().Select(DimensionNames).ToList();

        var watched = Alarms().SelectMany(WatchedMetrics).Where(m => m.GetProperty("Namespace").GetString() == EmfMetrics.Namespace).ToList();

        Assert.NotEmpty(watched);
        Assert.All(watched, metric =>
        {
            Assert.Contains(metric.GetProperty("MetricName").GetString(), written);
            var dimensions = DimensionNames(metric.GetProperty("Dimensions").EnumerateArray().Select(d => d.GetProperty("Name")));
            Assert.Contains(dimensionSets, set => set == dimensions);
        });
    }

    private static IEnumerable<JsonElement> WatchedMetrics(JsonElement alarm) =>
        Intrinsics.Property(alarm, "Metrics") is { } metrics
            ? metrics.EnumerateArray().Select(m => Intrinsics.Property(m, "MetricStat", "Metric")).OfType<JsonElement>()
            : [alarm];

    private static string DimensionNames(IEnumerable<JsonElement> names) => string.Join(",", names.Select(n => n.GetString()).Order(StringComparer.Ordinal));

    private static string DimensionNames(JsonElement set) => DimensionNames(set.EnumerateArray());

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
