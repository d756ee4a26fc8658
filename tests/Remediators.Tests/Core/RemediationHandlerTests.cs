using System.Text.Json.Nodes;
using Remediators.Core.Hosting;
using Remediators.Core.Notifications;
using Remediators.Core.Remediation;

namespace Remediators.Tests.Core;

public sealed class RemediationHandlerTests
{
    private static readonly InvocationContext Context = new("request-1", DateTimeOffset.UtcNow.AddMinutes(1), null, "Root=1-00000000-000000000000000000000001");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Handle_WhenTheRunThrows_LogsAFailedOutcomeInTheFunctionsModeAndRethrows(bool dryRun)
    {
        var log = new StringWriter();
        var handler = new RemediationHandler(new ThrowingRemediation(dryRun), OutcomePublisher.None, TimeProvider.System, log);

        await Assert.ThrowsAsync<InvalidOperationException>(() => handler.HandleAsync(ReadOnlyMemory<byte>.Empty, Context, CancellationToken.None));

        var line = JsonNode.Parse(log.ToString().Split('\n')[0])!;
        Assert.Equal(("ERROR", "Failed", dryRun), (line["level"]!.GetValue<string>(), line["outcome"]!["status"]!.GetValue<string>(), line["outcome"]!["dryRun"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Handle_WhenTheRunThrows_PublishesTheFailedOutcomeBeforeRethrowing()
    {
        var topic = new RecordingTopic();
        var handler = new RemediationHandler(new ThrowingRemediation(false), new OutcomePublisher(topic, OutcomePublishingSettings.DefaultNotifyStatuses, null), TimeProvider.System, new StringWriter());

        await Assert.ThrowsAsync<InvalidOperationException>(() => handler.HandleAsync(ReadOnlyMemory<byte>.Empty, Context, CancellationToken.None));

        Assert.StartsWith("Failed: Test", Assert.Single(topic.Subjects), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_WhenPublishingFails_AnswersTheOutcomeAndLogsAndCountsTheFailure()
    {
        var log = new StringWriter();
        var handler = new RemediationHandler(new CompliantRemediation(), new OutcomePublisher(null, OutcomePublishingSettings.DefaultNotifyStatuses, new UnreachableBus()), TimeProvider.System, log);

        var answer = JsonNode.Parse(await handler.HandleAsync(ReadOnlyMemory<byte>.Empty, Context, CancellationToken.None))!;

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal("AlreadyCompliant", answer["status"]!.GetValue<string>());
        Assert.Contains(lines, l => l["level"]?.GetValue<string>() == "ERROR" && l["message"]!.GetValue<string>().Contains("arn:aws:events:us-east-1:123456789012:event-bus/outcomes", StringComparison.Ordinal));
        Assert.Equal(1, lines.Single(l => l["_aws"] is not null)["OutcomesUnpublished"]!.GetValue<long>());
    }

    [Fact]
    public async Task Handle_LogsTheOutcomeWithTheRequestAndTraceIds()
    {
        var log = new StringWriter();
        var handler = new RemediationHandler(new CompliantRemediation(), OutcomePublisher.None, TimeProvider.System, log);

        await handler.HandleAsync(ReadOnlyMemory<byte>.Empty, Context, CancellationToken.None);

        var line = JsonNode.Parse(log.ToString().Split('\n')[0])!;
        Assert.Equal(("INFO", "request-1", Context.TraceId), (line["level"]!.GetValue<string>(), line["requestId"]!.GetValue<string>(), line["traceId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Handle_WhenOneResourceFailed_ReportsEveryResultWithItsChangesThenFails()
    {
        var log = new StringWriter();
        var topic = new RecordingTopic();
        var handler = new RemediationHandler(new PartlyFailedRemediation(), new OutcomePublisher(topic, OutcomePublishingSettings.DefaultNotifyStatuses, null), TimeProvider.System, log);

        var error = await Assert.ThrowsAsync<ResourcesFailedException>(() => handler.HandleAsync(ReadOnlyMemory<byte>.Empty, Context, CancellationToken.None));

        Assert.Equal("sg-2", Assert.Single(error.Failed).ResourceId);
        Assert.Contains("sg-2 (AccessDenied)", error.Message, StringComparison.Ordinal);
        var outcome = JsonNode.Parse(log.ToString().Split('\n')[0])!["outcome"]!;
        Assert.Equal("Failed", outcome["status"]!.GetValue<string>());
        var resources = outcome["resources"]!.AsArray();
        Assert.Equal(["Remediated", "Failed"], resources.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal(["RevokeIngress", "AuthorizeIngress"], resources.SelectMany(r => r!["changes"]!.AsArray()).Select(c => c!["action"]!.GetValue<string>()));
        Assert.Equal("AccessDenied", resources[1]!["error"]!.GetValue<string>());
        Assert.Null(resources[0]!["error"]);
        Assert.StartsWith("Failed: Test", Assert.Single(topic.Subjects), StringComparison.Ordinal);
    }

    [Fact]
    public void FailedResult_KeepsTheChangesMadeBeforeTheErrorAndNamesTheAwsErrorCode()
    {
        var made = new Change("AuthorizeIngress", "sg-2", "trusted grant", new Dictionary<string, string>(), "revoke it");

        var result = ResourceResult.Failed("sg-2", "revoking 1 public rule", new Remediators.Core.Aws.AwsServiceException("ec2", "RevokeSecurityGroupIngress", 403, "UnauthorizedOperation", "denied by an SCP"), [made]);

        Assert.Equal((OutcomeStatus.Failed, "UnauthorizedOperation"), (result.Status, result.Error));
        Assert.Equal([made], result.Changes);
        Assert.Contains("revoking 1 public rule", result.Reason, StringComparison.Ordinal);
        Assert.Contains("denied by an SCP", result.Reason, StringComparison.Ordinal);
    }

    private sealed class ThrowingRemediation(bool dryRun) : IRemediation
    {
        public string FunctionName => "Test";

        public bool DryRun => dryRun;

        public Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the AWS call still failed after its retries");
    }

    private sealed class CompliantRemediation : IRemediation
    {
        public string FunctionName => "Test";

        public bool DryRun => false;

        public Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new Outcome("Test", "event-1", "123456789012", "us-east-1", OutcomeStatus.AlreadyCompliant, "nothing open", false, [], Outcome.EmptyCounts, 0));
    }

    private sealed class PartlyFailedRemediation : IRemediation
    {
        public string FunctionName => "Test";

        public bool DryRun => false;

        public Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
        {
            var revoked = new ResourceResult("sg-1", OutcomeStatus.Remediated, "revoked 1 public rule",
                [new Change("RevokeIngress", "sgr-1", "open to the world", new Dictionary<string, string>(), "authorize it again")]);
            var failed = ResourceResult.Failed("sg-2", "revoking 1 public rule", new Remediators.Core.Aws.AwsServiceException("ec2", "RevokeSecurityGroupIngress", 403, "AccessDenied", "no"),
                [new Change("AuthorizeIngress", "sg-2", "trusted grant", new Dictionary<string, string>(), "revoke it")]);
            return Task.FromResult(new Outcome("Test", "event-1", "123456789012", "us-east-1", Outcome.Summarize([revoked, failed]), "1 of 2 changed", false,
                [revoked, failed], Outcome.EmptyCounts, 0));
        }
    }

    private sealed class RecordingTopic : INotificationTopic
    {
        public List<string> Subjects { get; } = [];

        public string Arn => "arn:aws:sns:us-east-1:123456789012:notifications";

        public Task PublishAsync(string subject, string message, CancellationToken cancellationToken)
        {
            Subjects.Add(subject);
            return Task.CompletedTask;
        }
    }

    private sealed class UnreachableBus : IOutcomeEventBus
    {
        public string Arn => "arn:aws:events:us-east-1:123456789012:event-bus/outcomes";

        public Task PutEventAsync(string source, string detailType, string detail, CancellationToken cancellationToken) =>
            throw new HttpRequestException("connection refused");
    }
}
