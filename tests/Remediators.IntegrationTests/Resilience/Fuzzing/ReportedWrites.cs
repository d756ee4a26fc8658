using Remediators.Bench.Proxy;
using Remediators.Core.Remediation;
using static Remediators.IntegrationTests.Resilience.Scenario.ScenarioFunctions;

namespace Remediators.IntegrationTests.Resilience.Fuzzing;

/// <summary>
/// Matches the AWS writes a run made (as the proxy saw them) with the changes its outcome reports, both ways: every write
/// is a reported change or the blocklist's own bookkeeping, and every reported change was written.
/// </summary>
public static class ReportedWrites
{
    /// <summary>The write each change action (as outcome records name it) is made by; false where one call makes several (one per group or IP set).</summary>
    private static readonly Dictionary<string, (string Operation, bool OnePerChange)> Writes = new(StringComparer.Ordinal)
    {
        ["RevokeIngress"] = ("RevokeSecurityGroupIngress", false),
        ["AuthorizeIngress"] = ("AuthorizeSecurityGroupIngress", false),
        ["DeactivateAccessKey"] = ("UpdateAccessKey", true),
        ["PutBucketEncryption"] = ("PutBucketEncryption", true),
        ["PutBucketPolicy"] = ("PutBucketPolicy", true),
        ["EnableEbsEncryptionByDefault"] = ("EnableEbsEncryptionByDefault", true),
        ["ModifyEbsDefaultKmsKeyId"] = ("ModifyEbsDefaultKmsKeyId", true),
        ["AddToIpSet"] = ("UpdateIPSet", false),
        ["EvictFromIpSet"] = ("UpdateIPSet", false),
        ["RemoveFromIpSet"] = ("UpdateIPSet", false),
        ["RestoreToIpSet"] = ("UpdateIPSet", false),
        ["CreateNaclDenyEntry"] = ("CreateNetworkAclEntry", true),
        ["ReplaceNaclDenyEntry"] = ("ReplaceNetworkAclEntry", true),
        ["DeleteNaclDenyEntry"] = ("DeleteNetworkAclEntry", true),
        ["DeleteBlocklistRecord"] = ("DeleteItem", true),
    };

    /// <summary>Writes that keep the blocklist's own records (sightings, write pacing, ACL leases and ownership): counted, not changes.</summary>
    private static readonly Dictionary<string, string[]> Bookkeeping = new(StringComparer.Ordinal)
    {
        [Blocker] = ["UpdateItem"],
        [Pruner] = ["UpdateItem"],
    };

    /// <summary>What does not match, or null when every write is a reported change (or bookkeeping) and every change was written.</summary>
    public static string? Mismatch(string function, Outcome outcome, IReadOnlyList<ProxiedCall> calls)
    {
        var writes = calls.Where(c => c.Operation.IsMutating).ToList();
        // A capped resource lists the change it was spared: planned, not made.
        var changes = outcome.Resources.Where(r => r.Status is OutcomeStatus.Remediated or OutcomeStatus.Failed).SelectMany(r => r.Changes).ToList();
        if (outcome.DryRun)
            return writes.Count > 0 ? $"ran dry yet called {Names(writes)}" : null;
        if (changes.FirstOrDefault(c => !Writes.ContainsKey(c.Action)) is { } unknown)
            return $"reports a change {unknown.Action} that no known write makes";

        var problems = new List<string>();
        var reported = changes.GroupBy(c => Writes[c.Action].Operation).ToDictionary(g => g.Key, g => g.Count());
        foreach (var byOperation in writes.GroupBy(c => c.Operation.Name))
        {
            var (operation, made) = (byOperation.Key, byOperation.Count(c => c.StatusCode is >= 200 and < 300));
            if (Bookkeeping.GetValueOrDefault(function, []).Contains(operation))
                continue;
            // A write AWS refused changed nothing; the resource it was for must then be reported as failed.
            if (made == 0 && outcome.Errors.Count > 0)
                continue;
            if (!reported.TryGetValue(operation, out var count))
                problems.Add($"called {operation} x{byOperation.Count()} but reports no change it makes");
            else if (OnePerChange(operation) && made > count)
                problems.Add($"called {operation} {made} time(s) for {count} reported change(s)");
        }
        foreach (var (operation, count) in reported)
        {
            var attempts = writes.Count(c => c.Operation.Name == operation);
            if (attempts == 0)
                problems.Add($"reports {count} change(s) made by {operation} but never called it");
            else if (OnePerChange(operation) && attempts < count)
                problems.Add($"reports {count} change(s) made by {operation} but called it {attempts} time(s)");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static bool OnePerChange(string operation) => Writes.Values.Any(w => w.Operation == operation && w.OnePerChange);

    private static string Names(IEnumerable<ProxiedCall> calls) => string.Join(", ", calls.Select(c => c.Operation.Name));
}
