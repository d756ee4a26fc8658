using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>Stands in for AWSSDK.EventBridge (not in this registry): rules, targets and events.</summary>
public sealed class EventBridgeClient(string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry)
    : JsonProtocolClient(AwsService.EventBridge, "AWSEvents", region, credentials, http, retry)
{
    public Task<PutRuleResponse> PutRuleAsync(string name, string eventPattern, CancellationToken cancellationToken) =>
        CallAsync("PutRule", new PutRuleRequest(name, eventPattern, "ENABLED"),
            AwsJsonContext.Default.PutRuleRequest, AwsJsonContext.Default.PutRuleResponse, cancellationToken);

    public Task<PutTargetsResponse> PutTargetsAsync(string rule, IReadOnlyList<RuleTarget> targets, CancellationToken cancellationToken) =>
        CallAsync("PutTargets", new PutTargetsRequest(rule, targets),
            AwsJsonContext.Default.PutTargetsRequest, AwsJsonContext.Default.PutTargetsResponse, cancellationToken);

    public Task<PutEventsResponse> PutEventsAsync(IReadOnlyList<PutEventsEntry> entries, CancellationToken cancellationToken) =>
        CallAsync("PutEvents", new PutEventsRequest(entries),
            AwsJsonContext.Default.PutEventsRequest, AwsJsonContext.Default.PutEventsResponse, cancellationToken);
}

public sealed record PutRuleRequest(string Name, string EventPattern, string State);

public sealed record PutRuleResponse(string RuleArn);

public sealed record RuleTarget(string Id, string Arn);

public sealed record PutTargetsRequest(string Rule, IReadOnlyList<RuleTarget> Targets);

public sealed record PutTargetsResponse(int FailedEntryCount);

public sealed record PutEventsEntry(string Source, string DetailType, string Detail, IReadOnlyList<string> Resources);

public sealed record PutEventsRequest(IReadOnlyList<PutEventsEntry> Entries);

public sealed record PutEventsResponse(int FailedEntryCount, IReadOnlyList<PutEventsResultEntry> Entries);

public sealed record PutEventsResultEntry(string? EventId, string? ErrorCode, string? ErrorMessage);
