using System.Text.Json.Serialization;

namespace Remediators.Core.Events;

[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(EventBridgeEvent))]
[JsonSerializable(typeof(CloudTrailDetail))]
[JsonSerializable(typeof(ComplianceChangeDetail))]
[JsonSerializable(typeof(GuardDutyFinding))]
[JsonSerializable(typeof(SqsEvent))]
internal sealed partial class EventsJsonContext : JsonSerializerContext;
