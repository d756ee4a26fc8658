using System.Globalization;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.AttackerIpBlocker;

/// <summary>Runs the built AttackerIpBlocker in enforce mode on a test's blocklist, with "now" fixed just after the samples' sightings.</summary>
public static class BlockerInvocation
{
    public static Task<FunctionAnswer> InvokeBlockerAsync(
        this MotoServer moto, string eventJson, TestBlocklist blocklist, Dictionary<string, string>? parameters = null, DateTimeOffset? now = null)
    {
        var all = blocklist.Parameters();
        all["Mode"] = "enforce";
        all["AttackerRefuseDocumentationRanges"] = "false";
        // GuardDuty rates an inbound SSH brute force Low (2); these tests block Low findings too.
        all["AttackerMinSeverity"] = "2";
        foreach (var (name, value) in parameters ?? [])
            all[name] = value;
        var environment = new Dictionary<string, string> { [TestClock.Variable] = (now ?? Findings.SampleNow).ToString("O", CultureInfo.InvariantCulture) };
        return moto.InvokeAsync("AttackerIpBlocker", eventJson, all, environment: environment, environmentOverrides: blocklist.Variables());
    }

    /// <summary>The reason of each resource with the status, by resource id.</summary>
    public static Dictionary<string, string> Reasons(this FunctionAnswer answer, string status) =>
        answer.Resources.Where(r => r.GetProperty("status").GetString() == status)
            .ToDictionary(r => r.GetProperty("resourceId").GetString()!, r => r.GetProperty("reason").GetString()!);
}
