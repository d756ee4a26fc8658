using Remediators.Bench.Proxy;
using Remediators.Core.Aws;
using Remediators.IntegrationTests.Fixtures;
using Remediators.IntegrationTests.Resilience.Scenario;

namespace Remediators.IntegrationTests.Resilience;

/// <summary>
/// Fifty invocations of the built blocker at once, each with its own attacker (half IPv4, half IPv6), writing the two IP
/// sets through a proxy that enforces WAF's write quota (a second write to a set within a second is refused), while the
/// built pruner runs alongside to lift last week's blocks, and a person's script updates both sets just before some of the
/// blockers' writes reach WAF, so those writes carry a stale lock token and the blockers must read again. At the end every attacker and every
/// address the person added is in its set exactly once, and every expired block is gone: no update was lost. An invocation
/// that fails (on a loaded machine a write can miss its slot) is delivered again, as SQS and Lambda would, at most three
/// times. Writes are spaced per set, so this waits about half a minute; it runs beside the other suites.
/// </summary>
[Collection(Name)]
public sealed class ConcurrencyTests(SeededMoto seeded) : IClassFixture<SeededMoto>
{
    public const string Name = "resilience-concurrency";
    private const int Invocations = 50;
    private const int Pruners = 3;
    private const int Conflicts = 10;
    private static readonly string[] Expired = ["192.0.2.10/32", "192.0.2.11/32", "2001:db8:dead::1/128"];

    [Fact]
    public async Task FiftyConcurrentBlockers_WithLockConflictsAndThePrunerAlongside_LoseNoUpdate()
    {
        var account = seeded.Account;
        var (v4Before, v6Before) = (await AddressesAsync(account.Ipv4SetArn), await AddressesAsync(account.Ipv6SetArn));
        await Task.WhenAll(BuiltFunctions.BuildAsync(ScenarioFunctions.Blocker), BuiltFunctions.BuildAsync(ScenarioFunctions.Pruner));
        var prunerKey = await seeded.SigningKeyAsync("concurrent-pruner");
        await using var proxy = await seeded.Moto.StartProxyAsync(FaultPlan.WafQuotaOnly);
        using var person = new CompetingWriter(seeded.Moto, account, Conflicts);
        proxy.BeforeForwarding = (operation, caller) => operation.Name == "UpdateIPSet" && caller != prunerKey.GetCredentials().AccessKey
            ? person.UpdateBothSetsAsync() : Task.CompletedTask;
        var attackers = Enumerable.Range(1, Invocations).Select(i => i % 2 == 0 ? $"198.51.100.{i}" : $"2001:db8:cc::{i:x}").ToList();
        var parameters = new Dictionary<string, string>
        {
            ["Mode"] = "enforce", ["AttackerMinSeverity"] = "2", ["AttackerRefuseDocumentationRanges"] = "false",
            ["ExistingIpv4IpSetArn"] = account.Ipv4SetArn, ["ExistingIpv6IpSetArn"] = account.Ipv6SetArn,
        };
        var variables = new Dictionary<string, string> { ["BLOCKLIST_TABLE"] = account.Table };

        // Two processes start at a time, so starting ones leave CPU to those already waiting for their write slot on a loaded machine.
        using var initSlots = new SemaphoreSlim(2);
        var retried = 0;
        // A failed invocation is delivered again, as SQS redelivers a batch and Lambda retries a scheduled run.
        async Task<FunctionAnswer> DeliverAsync(Func<Task<FunctionAnswer>> invoke)
        {
            var answer = await invoke();
            for (var retry = 0; retry < ScenarioRunner.LambdaRetries && (!answer.Answered || answer.Status == "Failed"); retry++)
            {
                Interlocked.Increment(ref retried);
                answer = await invoke();
            }
            return answer;
        }
        var blockers = attackers.Select((attacker, i) => DeliverAsync(() => BuiltFunctions.InvokeAsync(seeded.Moto, proxy, ScenarioFunctions.Blocker,
            ScenarioEvents.Finding(attacker, ScenarioAccount.Now.AddMinutes(-1), null, $"concurrent-{i}"), parameters, variables, testNow: ScenarioAccount.Now,
            initSlots: initSlots))).ToList();
        var pruners = Enumerable.Range(0, Pruners).Select(_ => DeliverAsync(() => BuiltFunctions.InvokeAsync(seeded.Moto, proxy, ScenarioFunctions.Pruner,
            ScenarioEvents.Sample("blocklist-pruner/scheduled-prune.json"), parameters, variables, prunerKey, ScenarioAccount.Now, initSlots))).ToList();
        var answers = await Task.WhenAll(blockers.Concat(pruners));

        // A pruner that starts after another has lifted every block finds only the seeded ACL entry, left to a person (AttackerNaclDeny is off).
        bool LeftOnlyTheAclEntry(FunctionAnswer pruner) => pruner.Status == "Exempt"
            && pruner.Resources.All(r => r.GetProperty("reason").GetString()!.Contains("AttackerNaclDeny is off", StringComparison.Ordinal));
        var failed = answers.Take(Invocations).Where(a => !a.Answered || a.Status != "Remediated")
            .Concat(answers.Skip(Invocations).Where(a => !a.Answered || (a.Status is not ("Remediated" or "AlreadyCompliant") && !LeftOnlyTheAclEntry(a))))
            .Select(a => $"{a.Body}\n{a.Logs}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} invocations did not end as they should after {retried} redeliveries:\n{string.Join("\n", failed.Take(3))}");
        var calls = proxy.TakeCalls();
        var updates = calls.Where(c => c.Operation.Name == "UpdateIPSet" && c.AccessKeyId != prunerKey.GetCredentials().AccessKey).ToList();
        Assert.Equal(Invocations, updates.Count(c => c.StatusCode == 200));
        // moto's own refusals: the stale lock tokens the person caused (the proxy's quota refusals carry a fault).
        Assert.True(updates.Count(c => c.StatusCode == 400 && c.Fault is null) >= Conflicts, $"only {updates.Count(c => c.StatusCode == 400 && c.Fault is null)} lock conflicts");
        Assert.Equal(Conflicts, person.Added.Count / 2);

        Assert.Equal(Expected(v4Before, attackers.Where(a => !a.Contains(':', StringComparison.Ordinal)).Select(a => $"{a}/32"), person.Added), await AddressesAsync(account.Ipv4SetArn));
        Assert.Equal(Expected(v6Before, attackers.Where(a => a.Contains(':', StringComparison.Ordinal)).Select(a => $"{a}/128"), person.Added), await AddressesAsync(account.Ipv6SetArn));
    }

    /// <summary>What a set must hold: what it held, less the expired blocks, plus the attackers and the person's addresses of its family, each once.</summary>
    private static List<string> Expected(IEnumerable<string> before, IEnumerable<string> attackers, IEnumerable<string> personal)
    {
        var existing = before.ToList();
        var ipv6 = existing.Concat(attackers).First().Contains(':', StringComparison.Ordinal);
        return [.. existing.Except(Expired).Concat(attackers).Concat(personal.Where(a => a.Contains(':', StringComparison.Ordinal) == ipv6)).Order(StringComparer.Ordinal)];
    }

    private async Task<List<string>> AddressesAsync(string setArn) =>
        [.. (await seeded.Moto.Clients.Wafv2(ResilienceMoto.Region).GetIpSetAsync(IpSetReference.FromArn(setArn), CancellationToken.None))
            .IPSet.Addresses.Order(StringComparer.Ordinal)];

    /// <summary>A person's script that adds an address of its own to both sets, straight in moto, the first <paramref name="times"/> times it is asked.</summary>
    private sealed class CompetingWriter(ResilienceMoto moto, ScenarioAccount account, int times) : IDisposable
    {
        private readonly SemaphoreSlim _one = new(1, 1);

        public List<string> Added { get; } = [];

        public void Dispose() => _one.Dispose();

        public async Task UpdateBothSetsAsync()
        {
            await _one.WaitAsync();
            try
            {
                if (Added.Count / 2 >= times)
                    return;
                var n = Added.Count / 2 + 1;
                await AddAsync(account.Ipv4SetArn, $"192.0.2.{200 + n}/32");
                await AddAsync(account.Ipv6SetArn, $"2001:db8:face::{n}/128");
            }
            finally
            {
                _one.Release();
            }
        }

        private async Task AddAsync(string setArn, string address)
        {
            var waf = moto.Clients.Wafv2(ResilienceMoto.Region);
            var set = IpSetReference.FromArn(setArn);
            while (true)
            {
                var current = await waf.GetIpSetAsync(set, CancellationToken.None);
                try
                {
                    await waf.UpdateIpSetAsync(set, [.. current.IPSet.Addresses, address], current.LockToken, CancellationToken.None);
                    Added.Add(address);
                    return;
                }
                catch (AwsServiceException error) when (error.ErrorCode == "WAFOptimisticLockException")
                {
                    // A blocker wrote in between: read again, as any careful script does.
                }
            }
        }
    }
}
