using System.Text.Json;
using System.Text.Json.Serialization;

namespace Remediators.Core.Events;

/// <summary>The EventBridge envelope every trigger arrives in; <see cref="Detail"/> is typed by <see cref="EventParser"/>.</summary>
public sealed record EventBridgeEvent
{
    public required string Id { get; init; }
    [JsonPropertyName("detail-type")] public required string DetailType { get; init; }
    public required string Source { get; init; }
    public required string Account { get; init; }
    public required string Region { get; init; }
    public DateTimeOffset? Time { get; init; }
    public string[] Resources { get; init; } = [];
    public JsonElement Detail { get; init; }
}

/// <summary>Detail of "AWS API Call via CloudTrail".</summary>
public sealed record CloudTrailDetail
{
    public required string EventName { get; init; }
    public required string EventSource { get; init; }
    public string? AwsRegion { get; init; }
    public string? EventId { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public string? RecipientAccountId { get; init; }
    public JsonElement RequestParameters { get; init; }
    public JsonElement ResponseElements { get; init; }
}

/// <summary>Detail of "Config Rules Compliance Change".</summary>
public sealed record ComplianceChangeDetail
{
    public required string ResourceId { get; init; }
    public required string ResourceType { get; init; }
    public required string ConfigRuleName { get; init; }
    public string? AwsAccountId { get; init; }
    public string? AwsRegion { get; init; }
    public required EvaluationResult NewEvaluationResult { get; init; }
}

public sealed record EvaluationResult(string? ComplianceType);

/// <summary>An SQS event as Lambda delivers it; each body is one EventBridge event.</summary>
public sealed record SqsEvent(SqsMessage[] Records);

public sealed record SqsMessage(string MessageId, string Body, string? EventSource);
