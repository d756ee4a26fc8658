using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// The sweeps' fan-out in template.yaml: with TargetAccounts, a work queue per swept function that invokes it one target at
/// a time with bounded concurrency, its dead-letter queue and alarm; and nothing of it, nor any grant on it, otherwise.
/// </summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed class SweepTemplateTests(TransformedTemplate hub)
{
    private static readonly string[] SweptFunctions = ["PublicIngressRevoker", "UnusedKeyDisabler"];
    private static readonly string[] SweepConditions = ["MemberTargetsOn", "SweepAlarmsOn"];

    public static TheoryData<string> Functions => [.. SweptFunctions];

    [Theory]
    [MemberData(nameof(Functions))]
    public void WorkQueue_InvokesItsFunctionOneTargetAtATime_AtMostSweepConcurrencyAtOnce(string function)
    {
        var mapping = Assert.Single(hub.OfType("AWS::Lambda::EventSourceMapping"),
            m => Intrinsics.GetAtt(m.Properties.GetProperty("EventSourceArn"), "Arn") == $"{function}WorkQueue");

        Assert.Equal(function, Intrinsics.Ref(mapping.Properties.GetProperty("FunctionName")));
        Assert.Equal(1, mapping.Properties.GetProperty("BatchSize").GetInt32());
        Assert.Equal("SweepConcurrency", Intrinsics.Ref(Intrinsics.Property(mapping.Properties, "ScalingConfig", "MaximumConcurrency")!.Value));
        Assert.Equal("MemberTargetsOn", hub.Resource(mapping.Id).GetProperty("Condition").GetString());
    }

    [Fact]
    public void SweepConcurrency_DefaultsSmall_AndNeverBelowWhatSqsAllows()
    {
        var parameter = hub.Root.GetProperty("Parameters").GetProperty("SweepConcurrency");

        Assert.Equal(2, parameter.GetProperty("MinValue").GetInt32());
        Assert.InRange(int.Parse(parameter.GetProperty("Default").ToString(), System.Globalization.CultureInfo.InvariantCulture), 2, 5);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void WorkQueue_IsEncrypted_AndRedrivesToADeadLetterQueueWithAnAlarm(string function)
    {
        var queue = hub.Resource($"{function}WorkQueue");
        var alarm = Assert.Single(hub.OfType("AWS::CloudWatch::Alarm"), a =>
            a.Properties.TryGetProperty("Dimensions", out var dimensions) && dimensions.EnumerateArray().Any(d => Intrinsics.GetAtt(d.GetProperty("Value"), "QueueName") == $"{function}WorkDeadLetterQueue"));

        Assert.True(queue.GetProperty("Properties").GetProperty("SqsManagedSseEnabled").GetBoolean());
        Assert.Equal($"{function}WorkDeadLetterQueue", Intrinsics.GetAtt(Intrinsics.Property(queue.GetProperty("Properties"), "RedrivePolicy", "deadLetterTargetArn")!.Value, "Arn"));
        Assert.Equal("SweepAlarmsOn", hub.Resource(alarm.Id).GetProperty("Condition").GetString());
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void EveryUseOfTheWorkQueues_HoldsOnlyUnderMemberTargets(string function)
    {
        string[] queues = [$"{function}WorkQueue", $"{function}WorkDeadLetterQueue"];

        var unguarded = hub.Resources.EnumerateObject()
            .Where(r => !(r.Value.TryGetProperty("Condition", out var c) && SweepConditions.Contains(c.GetString())))
            .SelectMany(r => UnguardedReferences(r.Value, guarded: false).Where(queues.Contains).Select(q => $"{r.Name} -> {q}"));

        Assert.Empty(unguarded);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Function_GetsItsWorkQueue_AndTheSendGrantOnIt_OnlyUnderMemberTargets(string function)
    {
        var variables = Intrinsics.Property(hub.Resource(function).GetProperty("Properties"), "Environment", "Variables")!.Value;
        var grants = Statements(hub.Resource($"{function}Role")).Where(s => Resources(s.Statement).Contains($"{function}WorkQueue")).ToList();

        foreach (var name in (string[])["SWEEP_QUEUE_URL", "SWEEP_QUEUE_ARN"])
            Assert.Equal("MemberTargetsOn", variables.GetProperty(name).GetProperty("Fn::If")[0].GetString());
        var grant = Assert.Single(grants);
        Assert.Equal("MemberTargetsOn", grant.Condition);
        Assert.Contains("sqs:SendMessage", grant.Statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
    }

    // Resource names referred to (Ref, GetAtt, ${X} in Sub) outside any Fn::If on a sweep condition.
    private static IEnumerable<string> UnguardedReferences(JsonElement value, bool guarded)
    {
        if (value.ValueKind == JsonValueKind.Array)
            return value.EnumerateArray().SelectMany(v => UnguardedReferences(v, guarded));
        if (value.ValueKind != JsonValueKind.Object)
            return [];
        if (value.TryGetProperty("Fn::If", out var branches))
            return UnguardedReferences(branches[1], guarded || SweepConditions.Contains(branches[0].GetString())).Concat(UnguardedReferences(branches[2], guarded));
        var here = guarded ? null : Intrinsics.Ref(value) ?? (value.TryGetProperty("Fn::GetAtt", out var att) && att.ValueKind == JsonValueKind.Array ? att[0].GetString() : null);
        return (here is null ? [] : new[] { here }).Concat(value.EnumerateObject().SelectMany(p => UnguardedReferences(p.Value, guarded)));
    }

    private static IEnumerable<(string? Condition, JsonElement Statement)> Statements(JsonElement role) =>
        role.GetProperty("Properties").GetProperty("Policies").EnumerateArray()
            .SelectMany(p => p.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            .Select(s => s.TryGetProperty("Fn::If", out var branches) ? (branches[0].GetString(), branches[1]) : ((string?)null, s));

    private static IEnumerable<string> Resources(JsonElement statement) =>
        statement.ValueKind == JsonValueKind.Object && statement.TryGetProperty("Resource", out var resource)
            ? (resource.ValueKind == JsonValueKind.Array ? resource.EnumerateArray() : new[] { resource }.AsEnumerable())
                .Select(r => Intrinsics.GetAtt(r, "Arn")).OfType<string>()
            : [];
}
