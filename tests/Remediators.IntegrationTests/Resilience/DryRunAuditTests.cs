using Remediators.Bench.Proxy;
using Remediators.IntegrationTests.Fixtures;
using Remediators.IntegrationTests.Resilience.Scenario;
using Remediators.IntegrationTests.Template;

namespace Remediators.IntegrationTests.Resilience;

/// <summary>
/// Every sample event of events/, aimed at a seeded account where what it names needs remediating, sent to its built function
/// with the template's default mode (dry-run): the function must plan the remediation and make no mutating AWS call.
/// A call counts as a read only when it is one the function declares (DeclaredActions) and its action reads; any other call,
/// a write verb of any name or an action nobody declared, fails the audit.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class DryRunAuditTests(SeededMoto seeded) : IClassFixture<SeededMoto>
{
    private const int Lanes = 3;

    private static readonly Dictionary<string, string> FunctionOfFolder = new()
    {
        ["public-ingress-revoker"] = ScenarioFunctions.Revoker, ["unused-key-disabler"] = ScenarioFunctions.Disabler,
        ["encryption-enforcer"] = ScenarioFunctions.Enforcer, ["attacker-ip-blocker"] = ScenarioFunctions.Blocker,
        ["blocklist-pruner"] = ScenarioFunctions.Pruner,
    };

    // Samples about what no remediation can change (a role session's key, an instance that is the actor, an unencrypted volume) or what is only reported by default.
    private static readonly Dictionary<string, string> NothingToPlan = new()
    {
        ["unused-key-disabler/guardduty-temporary-key.json"] = "AlreadyCompliant",
        ["attacker-ip-blocker/outbound-instance-is-actor.json"] = "Exempt",
        ["encryption-enforcer/config-encrypted-volumes-noncompliant.json"] = "AlreadyCompliant",
        // SubnetAutoAssignPublicIp defaults to report: a public subnet is reported for a person, in any mode.
        ["public-ingress-revoker/config-subnet-auto-assign-public-ip-noncompliant.json"] = "Exempt",
        ["public-ingress-revoker/create-default-subnet.json"] = "Exempt",
        ["public-ingress-revoker/create-subnet.json"] = "Exempt",
        ["public-ingress-revoker/modify-subnet-attribute-map-public-ip.json"] = "Exempt",
    };

    [Fact]
    public async Task EverySample_InTheDefaultDryRunMode_PlansItsRemediationAndWritesNothing()
    {
        var samples = Directory.GetFiles(Path.Combine(LocalInvoke.RepoRoot, "events"), "*.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Path.Combine(LocalInvoke.RepoRoot, "events"), path).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        foreach (var function in FunctionOfFolder.Values.Distinct())
            await BuiltFunctions.BuildAsync(function);
        await using var proxy = await seeded.Moto.StartProxyAsync(FaultPlan.None);

        var lanes = await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane => AuditAsync(proxy, lane, [.. samples.Where((_, i) => i % Lanes == lane)])));

        var findings = lanes.SelectMany(l => l).ToList();
        Assert.True(samples.Count >= 25 && findings.Count == samples.Count, $"audited {findings.Count} of {samples.Count} samples");
        var wrong = findings.Where(f => f.Problem is not null).Select(f => $"{f.Sample}: {f.Problem}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private async Task<List<(string Sample, string? Problem)>> AuditAsync(AwsProxy proxy, int lane, IReadOnlyList<string> samples)
    {
        var key = await seeded.SigningKeyAsync($"dry-run-lane-{lane}");
        var results = new List<(string, string?)>();
        foreach (var sample in samples)
        {
            var function = FunctionOfFolder[sample.Split('/')[0]];
            var answer = await BuiltFunctions.InvokeAsync(seeded.Moto, proxy, function, EventFor(sample), Parameters(),
                new Dictionary<string, string> { ["BLOCKLIST_TABLE"] = seeded.Account.Table }, key, ScenarioAccount.Now);
            var calls = proxy.TakeCalls(key.GetCredentials().AccessKey);
            var writes = calls.Where(c => !IsDeclaredRead(function, c.Operation.IamAction)).GroupBy(c => c.Operation.IamAction).Select(g => $"{g.Key} x{g.Count()}").ToList();
            var expected = NothingToPlan.GetValueOrDefault(sample, "DryRun");
            string? problem = !answer.Answered ? $"did not answer: {answer.Body}\n{answer.Logs}"
                : writes.Count > 0 ? $"made calls that are not reads it declares {string.Join(", ", writes)}"
                : answer.Status != expected ? $"{answer.Status} ({answer.Body.GetProperty("reason")}), expected {expected}"
                : !answer.Body.GetProperty("dryRun").GetBoolean() ? "outcome not marked dryRun"
                : expected == "DryRun" && calls.Count == 0 ? "made no AWS call, so it never looked at what it names"
                : null;
            results.Add((sample, problem));
        }
        return results;
    }

    private static bool IsDeclaredRead(string function, string action) => DeclaredActions.IsRead(action) && DeclaredActions.All(function).Contains(action);

    /// <summary>The sample with its placeholders replaced by what the account holds in need of remediation.</summary>
    private string EventFor(string sample)
    {
        var account = seeded.Account;
        return ScenarioEvents.Sample(sample,
            ("sg-0a1b2c3d4e5f60718", account.Groups["web"]), ("legacy-web", account.GroupNames["default-named"]),
            ("AIDAEXAMPLEUSERID0001", account.UserIds["config"]), ("AKIAEXAMPLEKEYID0001", account.Keys["compromised-used"]),
            ("remediators-example-bucket", account.Buckets["plain"]), ("subnet-0example0000000001", account.SubnetId), ("subnet-0a1b2c3d4e5f60718", account.SubnetId));
    }

    /// <summary>Template parameters that aim the functions at the account; Mode is left at the template's default.</summary>
    private Dictionary<string, string> Parameters() => new()
    {
        ["ExemptTagKey"] = ScenarioAccount.ExemptTagKey,
        ["TrustedCidrs"] = "10.20.0.0/16",
        ["ExistingIpv4IpSetArn"] = seeded.Account.Ipv4SetArn,
        ["ExistingIpv6IpSetArn"] = seeded.Account.Ipv6SetArn,
        ["AttackerNaclDeny"] = "true",
        ["AttackerMinSeverity"] = "2",
        ["AttackerRefuseDocumentationRanges"] = "false",
    };
}
