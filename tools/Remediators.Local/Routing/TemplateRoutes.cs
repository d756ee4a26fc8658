using Remediators.Local.Template;
using YamlDotNet.RepresentationModel;

namespace Remediators.Local.Routing;

/// <summary>
/// One way events reach a function of the template: an EventBridge rule with an event pattern, or a schedule (no pattern).
/// </summary>
/// <param name="Rule">The rule's logical id as CloudFormation names it (SAM: function id + event name).</param>
/// <param name="Via">The queue between the rule and the function, if any.</param>
internal sealed record EventRoute(string FunctionId, string Rule, string? EventPattern, bool Enabled, string? Via)
{
    public bool IsSchedule => EventPattern is null;

    public override string ToString() => $"{FunctionId} (rule {Rule}{(Via is null ? "" : $" via queue {Via}")}{(Enabled ? "" : ", disabled")})";
}

/// <summary>Reads every route of template.yaml: functions' EventBridgeRule and Schedule events, and AWS::Events::Rule resources targeting a function or a queue a function reads.</summary>
internal static class TemplateRoutes
{
    private const string FunctionType = "AWS::Serverless::Function";

    public static IReadOnlyList<EventRoute> Read(SamTemplate template, IntrinsicEvaluator evaluator)
    {
        var routes = new List<EventRoute>();
        var queueReaders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var function in Existing(template.ResourcesOfType(FunctionType), evaluator))
        {
            foreach (var (name, node) in template.FunctionEvents(function.LogicalId))
            {
                var definition = (YamlMappingNode)node;
                var properties = SamTemplate.Child(definition, "Properties") as YamlMappingNode ?? new YamlMappingNode();
                var rule = function.LogicalId + name;
                switch ((SamTemplate.Child(definition, "Type") as YamlScalarNode)?.Value)
                {
                    case "EventBridgeRule" or "CloudWatchEvent":
                        routes.Add(new EventRoute(function.LogicalId, rule, Pattern(properties, "Pattern", evaluator), IsEnabled(properties, evaluator), null));
                        break;
                    case "Schedule" or "ScheduleV2":
                        routes.Add(new EventRoute(function.LogicalId, rule, null, IsEnabled(properties, evaluator), null));
                        break;
                    case "SQS" when TargetId(SamTemplate.Child(properties, "Queue")) is { } queue:
                        queueReaders[queue] = function.LogicalId;
                        break;
                }
            }
        }

        foreach (var rule in Existing(template.ResourcesOfType("AWS::Events::Rule"), evaluator))
        {
            var pattern = SamTemplate.Child(rule.Properties, "EventPattern") is { } node ? EventPatternJson.From(node, evaluator) : null;
            var enabled = IsEnabled(rule.Properties, evaluator);
            var targets = SamTemplate.Child(rule.Properties, "Targets") as YamlSequenceNode ?? [];
            foreach (var target in targets.OfType<YamlMappingNode>().Select(t => TargetId(SamTemplate.Child(t, "Arn"))).OfType<string>())
            {
                if (template.FunctionIds.Contains(target))
                    routes.Add(new EventRoute(target, rule.LogicalId, pattern, enabled, null));
                else if (queueReaders.TryGetValue(target, out var reader))
                    routes.Add(new EventRoute(reader, rule.LogicalId, pattern, enabled, target));
            }
        }
        return routes;
    }

    private static IEnumerable<TemplateResource> Existing(IEnumerable<TemplateResource> resources, IntrinsicEvaluator evaluator) =>
        resources.Where(r => r.Condition is null || evaluator.IsConditionTrue(r.Condition, r.Properties));

    private static string Pattern(YamlMappingNode properties, string key, IntrinsicEvaluator evaluator) =>
        SamTemplate.Child(properties, key) is { } pattern
            ? EventPatternJson.From(pattern, evaluator)
            : throw ConfigurationException.At(properties, $"an EventBridge rule needs a {key}");

    // SAM's Schedule takes Enabled (bool) or State; AWS::Events::Rule and EventBridgeRule take State.
    private static bool IsEnabled(YamlMappingNode properties, IntrinsicEvaluator evaluator)
    {
        if (SamTemplate.Child(properties, "State") is { } state)
            return evaluator.EvaluateString(state) == "ENABLED";
        return SamTemplate.Child(properties, "Enabled") is not { } enabled || evaluator.EvaluateString(enabled) is not "false";
    }

    /// <summary>The logical id an ARN property points at: <c>!GetAtt X.Arn</c>, <c>!Ref X</c>, or null for anything else.</summary>
    private static string? TargetId(YamlNode? node) => node is null ? null : IntrinsicCall.Match(node) switch
    {
        { Name: "Fn::GetAtt", Argument: YamlSequenceNode { Children: [YamlScalarNode { Value: { } id }, ..] } } => id,
        { Name: "Fn::GetAtt" } call => call.ScalarArgument().Split('.')[0],
        { Name: "Ref" } call => call.ScalarArgument(),
        _ => null,
    };
}
