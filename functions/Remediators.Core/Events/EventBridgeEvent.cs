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
    /// <summary>When the event was sent; only a fallback for a finding's own time, so a value in another shape reads as none.</summary>
    [JsonConverter(typeof(LenientInstantConverter))]
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

/// <param name="EventSourceArn">The queue the message came from (<c>eventSourceARN</c>), which Lambda sets and a caller cannot.</param>
public sealed record SqsMessage(string MessageId, string Body, string? EventSource, string? EventSourceArn = null);

/// <summary>Reads an ISO 8601 instant, and anything else (another format, a number, an object) as null instead of failing the event.</summary>
public sealed class LenientInstantConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var instant))
            return instant;
        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } instant)
            writer.WriteStringValue(instant);
        else
            writer.WriteNullValue();
    }
}
