using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>Stands in for AWSSDK.EventBridge (not in this registry): buses, rules, targets and events.</summary>
public sealed class EventBridgeClient(string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint = null)
    : JsonProtocolClient(AwsService.EventBridge, "AWSEvents", region, credentials, http, retry, endpoint)
{
    public Task<CreateEventBusResponse> CreateEventBusAsync(string name, CancellationToken cancellationToken) =>
        CallAsync("CreateEventBus", new CreateEventBusRequest(name),
            AwsJsonContext.Default.CreateEventBusRequest, AwsJsonContext.Default.CreateEventBusResponse, cancellationToken);

    public Task DeleteEventBusAsync(string name, CancellationToken cancellationToken) =>
        CallAsync("DeleteEventBus", new DeleteEventBusRequest(name),
            AwsJsonContext.Default.DeleteEventBusRequest, AwsJsonContext.Default.EmptyResponse, cancellationToken);

    /// <param name="eventBusName">Null for the account's default bus.</param>
    public Task<PutRuleResponse> PutRuleAsync(string name, string eventPattern, CancellationToken cancellationToken, string? eventBusName = null) =>
        CallAsync("PutRule", new PutRuleRequest(name, eventPattern, "ENABLED", eventBusName),
            AwsJsonContext.Default.PutRuleRequest, AwsJsonContext.Default.PutRuleResponse, cancellationToken);

    public Task<PutTargetsResponse> PutTargetsAsync(string rule, IReadOnlyList<RuleTarget> targets, CancellationToken cancellationToken, string? eventBusName = null) =>
        CallAsync("PutTargets", new PutTargetsRequest(rule, targets, eventBusName),
            AwsJsonContext.Default.PutTargetsRequest, AwsJsonContext.Default.PutTargetsResponse, cancellationToken);

    public Task RemoveTargetsAsync(string rule, IReadOnlyList<string> targetIds, CancellationToken cancellationToken, string? eventBusName = null) =>
        CallAsync("RemoveTargets", new RemoveTargetsRequest(rule, targetIds, eventBusName),
            AwsJsonContext.Default.RemoveTargetsRequest, AwsJsonContext.Default.EmptyResponse, cancellationToken);

    public Task DeleteRuleAsync(string name, CancellationToken cancellationToken, string? eventBusName = null) =>
        CallAsync("DeleteRule", new DeleteRuleRequest(name, eventBusName),
            AwsJsonContext.Default.DeleteRuleRequest, AwsJsonContext.Default.EmptyResponse, cancellationToken);

    public Task<PutEventsResponse> PutEventsAsync(IReadOnlyList<PutEventsEntry> entries, CancellationToken cancellationToken) =>
        CallAsync("PutEvents", new PutEventsRequest(entries),
            AwsJsonContext.Default.PutEventsRequest, AwsJsonContext.Default.PutEventsResponse, cancellationToken);
}

public sealed record CreateEventBusRequest(string Name);

public sealed record CreateEventBusResponse(string EventBusArn);

public sealed record DeleteEventBusRequest(string Name);

public sealed record EmptyResponse;

public sealed record PutRuleRequest(string Name, string EventPattern, string State, string? EventBusName);

public sealed record PutRuleResponse(string RuleArn);

public sealed record RuleTarget(string Id, string Arn);

public sealed record PutTargetsRequest(string Rule, IReadOnlyList<RuleTarget> Targets, string? EventBusName);

public sealed record PutTargetsResponse(int FailedEntryCount);

public sealed record RemoveTargetsRequest(string Rule, IReadOnlyList<string> Ids, string? EventBusName);

public sealed record DeleteRuleRequest(string Name, string? EventBusName);

/// <param name="EventBusName">Null for the account's default bus.</param>
public sealed record PutEventsEntry(string Source, string DetailType, string Detail, IReadOnlyList<string> Resources, string? EventBusName = null);

public sealed record PutEventsRequest(IReadOnlyList<PutEventsEntry> Entries);

public sealed record PutEventsResponse(int FailedEntryCount, IReadOnlyList<PutEventsResultEntry> Entries);

public sealed record PutEventsResultEntry(string? EventId, string? ErrorCode, string? ErrorMessage);
