using System.Text.Json;

namespace Remediators.Core.Events;

/// <summary>
/// Turns raw invocation bytes into typed triggers. Never throws on bad input: malformed or unknown
/// events become <see cref="ParseResult.Rejected"/> with a reason that says what was wrong.
/// </summary>
public static class EventParser
{
    public const string CloudTrailDetailType = "AWS API Call via CloudTrail";
    public const string ComplianceChangeDetailType = "Config Rules Compliance Change";
    public const string GuardDutyFindingDetailType = "GuardDuty Finding";
    public const string ScheduledDetailType = "Scheduled Event";

    public static ParseResult Parse(ReadOnlySpan<byte> json)
    {
        EventBridgeEvent? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(json, EventsJsonContext.Default.EventBridgeEvent);
        }
        catch (JsonException error)
        {
            return ParseResult.Rejected($"not an EventBridge event: {error.Message}");
        }
        if (envelope is null)
            return ParseResult.Rejected("not an EventBridge event: the payload is null");
        if (MissingEnvelopeField(envelope) is { } missing)
            return ParseResult.Rejected($"EventBridge event has an empty '{missing}'");
        if (envelope.Detail.ValueKind != JsonValueKind.Object)
            return ParseResult.Rejected("EventBridge event has no 'detail' object");
        if (HasUnreadableText(envelope.Detail))
            return ParseResult.Rejected("EventBridge event's detail holds a name or string that is not valid Unicode (an unpaired surrogate escape)");

        try
        {
            return envelope.DetailType switch
            {
                CloudTrailDetailType => ParseCloudTrail(envelope),
                ComplianceChangeDetailType when envelope.Source == "aws.config" => ParseComplianceChange(envelope),
                GuardDutyFindingDetailType when envelope.Source == "aws.guardduty" => ParseFinding(envelope),
                ScheduledDetailType when envelope.Source == "aws.events" => ParseResult.Accepted(new ScheduledSweep(envelope)),
                _ => ParseResult.Rejected($"unsupported event: source '{envelope.Source}', detail-type '{envelope.DetailType}'"),
            };
        }
        catch (JsonException error)
        {
            return ParseResult.Rejected($"malformed '{envelope.DetailType}' detail: {error.Message}");
        }
    }

    /// <summary>Recognises an SQS event (a top-level "Records" array of messages whose bodies are EventBridge events).</summary>
    public static bool TryParseSqsBatch(ReadOnlySpan<byte> json, out SqsMessage[] messages, out string? rejection)
    {
        messages = [];
        rejection = null;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("Records", out _))
                return false;
            var batch = document.RootElement.Deserialize(EventsJsonContext.Default.SqsEvent);
            if (batch?.Records is null || batch.Records.Any(r => r is null || string.IsNullOrEmpty(r.MessageId) || r.Body is null))
                rejection = "SQS event has a record without messageId or body";
            else
                messages = batch.Records;
            return true;
        }
        catch (JsonException error)
        {
            rejection = $"malformed SQS event: {error.Message}";
            return true;
        }
    }

    private static ParseResult ParseCloudTrail(EventBridgeEvent envelope)
    {
        var call = envelope.Detail.Deserialize(EventsJsonContext.Default.CloudTrailDetail)!;
        return string.IsNullOrEmpty(call.EventName) || string.IsNullOrEmpty(call.EventSource)
            ? ParseResult.Rejected("CloudTrail detail has no eventName or eventSource")
            : ParseResult.Accepted(new CloudTrailCall(envelope, call));
    }

    private static ParseResult ParseComplianceChange(EventBridgeEvent envelope)
    {
        var change = envelope.Detail.Deserialize(EventsJsonContext.Default.ComplianceChangeDetail)!;
        // "required" asks only that the field be there: a JSON null passes it.
        return string.IsNullOrEmpty(change.ResourceId) || string.IsNullOrEmpty(change.ResourceType) || change.NewEvaluationResult is null
            ? ParseResult.Rejected("Config compliance change has no resourceId, resourceType or newEvaluationResult")
            : ParseResult.Accepted(new ComplianceChange(envelope, change));
    }

    private static ParseResult ParseFinding(EventBridgeEvent envelope)
    {
        var finding = envelope.Detail.Deserialize(EventsJsonContext.Default.GuardDutyFinding)!;
        return string.IsNullOrEmpty(finding.Id) || string.IsNullOrEmpty(finding.Type)
            ? ParseResult.Rejected("GuardDuty finding has no id or type")
            : ParseResult.Accepted(new GuardDutyFindingEvent(envelope, finding));
    }

    /// <summary>
    /// Typed fields refuse "\ud800" while parsing, but the free-form parts (CloudTrail's request and response elements) are
    /// read later, where reading such a string throws; so the whole detail is read once up front.
    /// </summary>
    private static bool HasUnreadableText(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        if (HasUnreadableText(property.Value))
                            return true;
                    }
                    return false;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Any(HasUnreadableText);
                case JsonValueKind.String:
                    _ = element.GetString();
                    return false;
                default:
                    return false;
            }
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static string? MissingEnvelopeField(EventBridgeEvent e) =>
        string.IsNullOrWhiteSpace(e.Id) ? "id"
        : string.IsNullOrWhiteSpace(e.Source) ? "source"
        : string.IsNullOrWhiteSpace(e.DetailType) ? "detail-type"
        : string.IsNullOrWhiteSpace(e.Account) ? "account"
        : string.IsNullOrWhiteSpace(e.Region) ? "region"
        : null;
}
