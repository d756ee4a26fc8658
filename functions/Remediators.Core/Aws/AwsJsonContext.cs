using System.Text.Json.Serialization;

namespace Remediators.Core.Aws;

[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateIpSetRequest))]
[JsonSerializable(typeof(CreateIpSetResponse))]
[JsonSerializable(typeof(GetIpSetRequest))]
[JsonSerializable(typeof(GetIpSetResponse))]
[JsonSerializable(typeof(UpdateIpSetRequest))]
[JsonSerializable(typeof(UpdateIpSetResponse))]
[JsonSerializable(typeof(CreateEventBusRequest))]
[JsonSerializable(typeof(CreateEventBusResponse))]
[JsonSerializable(typeof(DeleteEventBusRequest))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(RemoveTargetsRequest))]
[JsonSerializable(typeof(DeleteRuleRequest))]
[JsonSerializable(typeof(PutRuleRequest))]
[JsonSerializable(typeof(PutRuleResponse))]
[JsonSerializable(typeof(PutTargetsRequest))]
[JsonSerializable(typeof(PutTargetsResponse))]
[JsonSerializable(typeof(PutEventsRequest))]
[JsonSerializable(typeof(PutEventsResponse))]
[JsonSerializable(typeof(DescribeAccountRequest))]
[JsonSerializable(typeof(DescribeAccountResponse))]
[JsonSerializable(typeof(ListAccountsRequest))]
[JsonSerializable(typeof(ListAccountsResponse))]
internal sealed partial class AwsJsonContext : JsonSerializerContext;
