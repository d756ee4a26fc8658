using System.Text.Json.Nodes;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;

namespace Remediators.Tests.Core;

public sealed class RemediationHandlerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Handle_WhenTheRunThrows_LogsAFailedOutcomeInTheFunctionsModeAndRethrows(bool dryRun)
    {
        var log = new StringWriter();
        var handler = new RemediationHandler(new ThrowingRemediation(dryRun), TimeProvider.System, log);

        await Assert.ThrowsAsync<InvalidOperationException>(() => handler.HandleAsync(
            ReadOnlyMemory<byte>.Empty, new InvocationContext("request-1", DateTimeOffset.UtcNow.AddMinutes(1), null, null), CancellationToken.None));

        var outcome = JsonNode.Parse(log.ToString().Split('\n')[0])!;
        Assert.Equal(("Failed", dryRun), (outcome["status"]!.GetValue<string>(), outcome["dryRun"]!.GetValue<bool>()));
    }

    private sealed class ThrowingRemediation(bool dryRun) : IRemediation
    {
        public string FunctionName => "Test";

        public bool DryRun => dryRun;

        public Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the AWS call still failed after its retries");
    }
}
