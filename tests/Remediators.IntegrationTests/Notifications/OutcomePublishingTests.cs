using System.Text.Json.Nodes;
using Remediators.IntegrationTests.Fixtures;
using Remediators.Local.Emulator;
using static Remediators.IntegrationTests.Fixtures.Seed;

namespace Remediators.IntegrationTests.Notifications;

/// <summary>
/// Outcome records leave the function for real: a topic on moto's SNS with a queue subscribed (as an e-mail or chat
/// subscription would be), and an event bus on moto's EventBridge with a rule on the outcomes' source, as a SIEM would have:
/// the demo's <see cref="OutcomeTargets"/>.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class OutcomePublishingTests(MotoServer moto)
{
    private const string SampleGroupId = "sg-0a1b2c3d4e5f60718";

    [Fact]
    public async Task Revoke_PublishesItsOutcomeToTheTopicAndTheEventBus()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), $"published-{Guid.NewGuid():N}"[..18]);
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"));
        var targets = await NewTargetsAsync();

        var answer = await moto.InvokeAsync("PublicIngressRevoker", RevokeEvent(group), new Dictionary<string, string> { ["Mode"] = "enforce" },
            environmentOverrides: targets.Variables);

        Assert.True(answer.Answered, answer.Logs);
        var notification = JsonNode.Parse(Assert.Single(await targets.TakeNotificationsAsync(CancellationToken.None)))!;
        Assert.Equal($"Remediated: PublicIngressRevoker {group} ({MotoServer.AccountId} {MotoServer.Region})", notification["Subject"]!.GetValue<string>());
        var message = notification["Message"]!.GetValue<string>();
        Assert.StartsWith($"PublicIngressRevoker made 1 change(s) to 1 resource(s) in account {MotoServer.AccountId}, region {MotoServer.Region}.", message, StringComparison.Ordinal);
        Assert.Contains("To undo: ", message, StringComparison.Ordinal);
        var outcomeEvent = JsonNode.Parse(Assert.Single(await targets.TakeOutcomeEventsAsync(CancellationToken.None)))!;
        Assert.Equal(("remediators", "Remediation Outcome - Remediated"), (outcomeEvent["source"]!.GetValue<string>(), outcomeEvent["detail-type"]!.GetValue<string>()));
        Assert.Equal(group, outcomeEvent["detail"]!["resources"]![0]!["resourceId"]!.GetValue<string>());
        Assert.Equal(answer.Body.GetProperty("eventId").GetString(), outcomeEvent["detail"]!["eventId"]!.GetValue<string>());
    }

    // Invalid input is answered, not failed: Lambda does not retry it, so it never reaches a dead-letter queue.
    [Fact]
    public async Task MalformedEvent_IsAnsweredAsRejected_AndGoesToTheBusButNotToTheTopic()
    {
        var targets = await NewTargetsAsync();

        var answer = await moto.InvokeAsync("PublicIngressRevoker", """{"detail-type": 42}""", environmentOverrides: targets.Variables);

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Rejected", answer.Status);
        Assert.Equal("Remediation Outcome - Rejected", JsonNode.Parse(Assert.Single(await targets.TakeOutcomeEventsAsync(CancellationToken.None)))!["detail-type"]!.GetValue<string>());
        Assert.Empty(await targets.TakeNotificationsAsync(CancellationToken.None));
    }

    private Task<OutcomeTargets> NewTargetsAsync() =>
        OutcomeTargets.CreateAsync(moto.Clients, MotoServer.Region, $"outcomes-{Guid.NewGuid():N}", CancellationToken.None);

    private static string RevokeEvent(string groupId) =>
        LocalInvoke.SampleEvent("public-ingress-revoker/authorize-security-group-ingress.json", (SampleGroupId, groupId));
}
