using Remediators.Bench.Proxy;
using Remediators.IntegrationTests.Resilience.Scenario;

namespace Remediators.IntegrationTests.Resilience;

/// <summary>
/// Fifty invocations of the built blocker at once, each with its own attacker, all writing one IP set through a proxy that
/// enforces WAF's write quota (a second write to a set within a second is refused): every attacker must end up in the set.
/// Their writes are spaced 1.5 s apart, so this waits more than a minute; it runs beside the other suites.
/// </summary>
[Collection(Name)]
public sealed class ConcurrencyTests(SeededMoto seeded) : IClassFixture<SeededMoto>
{
    public const string Name = "resilience-concurrency";
    private const int Invocations = 50;

    [Fact]
    public async Task FiftyConcurrentBlockerInvocations_WithDistinctAttackers_LeaveEveryAttackerInTheSet()
    {
        var account = seeded.Account;
        var before = await AddressesAsync(account.Ipv4SetArn);
        await BuiltFunctions.BuildAsync(ScenarioFunctions.Blocker);
        await using var proxy = await seeded.Moto.StartProxyAsync(FaultPlan.WafQuotaOnly);
        var attackers = Enumerable.Range(1, Invocations).Select(i => $"198.51.100.{i}").ToList();
        var parameters = new Dictionary<string, string>
        {
            ["Mode"] = "enforce", ["AttackerMinSeverity"] = "2", ["AttackerRefuseDocumentationRanges"] = "false",
            ["ExistingIpv4IpSetArn"] = account.Ipv4SetArn, ["ExistingIpv6IpSetArn"] = account.Ipv6SetArn,
        };
        var variables = new Dictionary<string, string> { ["BLOCKLIST_TABLE"] = account.Table };

        var answers = await Task.WhenAll(attackers.Select((attacker, i) => BuiltFunctions.InvokeAsync(seeded.Moto, proxy, ScenarioFunctions.Blocker,
            ScenarioEvents.Finding(attacker, ScenarioAccount.Now.AddMinutes(-1), null, $"concurrent-{i}"), parameters, variables, testNow: ScenarioAccount.Now)));

        var failed = answers.Where(a => !a.Answered || a.Status != "Remediated").Select(a => $"{a.Body}\n{a.Logs}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} invocations did not block their attacker:\n{string.Join("\n", failed.Take(3))}");
        var calls = proxy.TakeCalls();
        var writes = calls.Where(c => c.Operation.Name == "UpdateIPSet" && c.StatusCode == 200).Select(c => c.At).Order().ToList();
        Assert.Equal(Invocations, writes.Count);
        Assert.Equal([.. before.Concat(attackers.Select(a => $"{a}/32")).Order(StringComparer.Ordinal)], await AddressesAsync(account.Ipv4SetArn));
    }

    private async Task<List<string>> AddressesAsync(string setArn) =>
        [.. (await seeded.Moto.Clients.Wafv2(ResilienceMoto.Region).GetIpSetAsync(Core.Aws.IpSetReference.FromArn(setArn), CancellationToken.None))
            .IPSet.Addresses.Order(StringComparer.Ordinal)];
}
