using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>Nothing is lost silently: every function and every rule target has a place for what it could not handle.</summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed class FailurePathTests(TransformedTemplate template)
{
    [Fact]
    public void EveryFunction_HasAnOnFailureQueue_OrReadsAQueueWithADeadLetterQueue()
    {
        var functions = template.OfType("AWS::Lambda::Function").Select(f => f.Id).ToList();

        var withoutFailurePath = functions.Where(id => !HasOnFailureQueue(id) && !ReadsARedrivenQueue(id));

        Assert.NotEmpty(functions);
        Assert.Empty(withoutFailurePath);
    }

    [Fact]
    public void EveryRuleTarget_RetriesAsTheParametersSay_AndHasADeadLetterQueue()
    {
        var targets = template.RuleTargets().ToList();

        var incomplete = targets.Where(t =>
                Intrinsics.Property(t.Target, "DeadLetterConfig", "Arn") is not { } arn || !IsQueue(arn)
                || Intrinsics.Property(t.Target, "RetryPolicy", "MaximumRetryAttempts") is not { } attempts || Intrinsics.Ref(attempts) != "RuleRetryAttempts"
                || Intrinsics.Property(t.Target, "RetryPolicy", "MaximumEventAgeInSeconds") is not { } age || Intrinsics.Ref(age) != "MaxEventAgeSeconds")
            .Select(t => t.Rule);

        Assert.NotEmpty(targets);
        Assert.Empty(incomplete);
    }

    [Fact]
    public void EveryRuleTarget_HasADeadLetterQueueOfItsOwn_ThatOnlyItsRuleMaySendTo()
    {
        // Targets without one fail the test above. A function rule's twin on the hub bus (TargetAccounts) shares its queue:
        // the same events, from member accounts, for the same function and alarm.
        var rulesOfEachQueue = template.RuleTargets()
            .Select(t => (t.Rule, Queue: Intrinsics.Property(t.Target, "DeadLetterConfig", "Arn") is { } arn ? Intrinsics.GetAtt(arn, "Arn") : null))
            .Where(r => r.Queue is not null)
            .GroupBy(r => r.Queue!, r => r.Rule)
            .ToList();

        Assert.NotEmpty(rulesOfEachQueue);
        Assert.All(rulesOfEachQueue, queue =>
        {
            var rules = queue.Order(StringComparer.Ordinal).ToList();
            var own = Assert.Single(rules, rule => !rule.EndsWith(HubBusTwin, StringComparison.Ordinal));
            Assert.All(rules.Where(rule => rule != own), twin => Assert.Equal(own + HubBusTwin, twin));
            var statement = Assert.Single(PolicyStatementsOf(queue.Key));
            Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
            Assert.Equal("events.amazonaws.com", statement.GetProperty("Principal").GetProperty("Service").GetString());
            Assert.Equal("sqs:SendMessage", statement.GetProperty("Action").GetString());
            Assert.Equal(queue.Key, Intrinsics.GetAtt(statement.GetProperty("Resource"), "Arn"));
            // SAM names the rule of a function's event <function><event>; the policy must name that very rule, and its twin only if it has one.
            var sources = statement.GetProperty("Condition").GetProperty("ArnEquals").GetProperty("aws:SourceArn");
            Assert.Equal(rules, RulesNamed(sources).Distinct().Order(StringComparer.Ordinal));
        });
    }

    private const string HubBusTwin = "OnHubBus";

    // Every rule an aws:SourceArn value names, in either branch of an Fn::If.
    private static IEnumerable<string> RulesNamed(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().SelectMany(RulesNamed),
        JsonValueKind.Object when value.TryGetProperty("Fn::If", out var choice) => RulesNamed(choice[1]).Concat(RulesNamed(choice[2])),
        _ => Intrinsics.GetAtt(value, "Arn") is { } rule ? [rule] : throw new InvalidOperationException($"aws:SourceArn {value} names no rule"),
    };

    private bool HasOnFailureQueue(string functionId) =>
        template.OfType("AWS::Lambda::EventInvokeConfig").Any(c =>
            Intrinsics.Ref(c.Properties.GetProperty("FunctionName")) == functionId
            && Intrinsics.Property(c.Properties, "DestinationConfig", "OnFailure", "Destination") is { } destination
            && IsQueue(destination));

    private bool ReadsARedrivenQueue(string functionId) =>
        template.OfType("AWS::Lambda::EventSourceMapping").Any(m =>
            Intrinsics.Ref(m.Properties.GetProperty("FunctionName")) == functionId
            && Intrinsics.GetAtt(m.Properties.GetProperty("EventSourceArn"), "Arn") is { } queue
            && template.IsOfType(queue, "AWS::SQS::Queue")
            && Intrinsics.Property(template.Resource(queue), "Properties", "RedrivePolicy", "deadLetterTargetArn") is { } deadLetterQueue
            && IsQueue(deadLetterQueue));

    private bool IsQueue(JsonElement arn) => Intrinsics.GetAtt(arn, "Arn") is { } id && template.IsOfType(id, "AWS::SQS::Queue");

    private IEnumerable<JsonElement> PolicyStatementsOf(string queue) =>
        template.OfType("AWS::SQS::QueuePolicy")
            .Where(p => p.Properties.GetProperty("Queues").EnumerateArray().Any(q => Intrinsics.Ref(q) == queue))
            .SelectMany(p => p.Properties.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
}
