using System.Globalization;
using System.Text.Json;
using Remediators.Bench.Harness;
using Remediators.Core.Remediation;
using static Remediators.Bench.Scenarios.ApiCalls.SampleParameters;

namespace Remediators.Bench.Scenarios.ApiCalls;

/// <summary>
/// Every blocker sample gets an empty blocklist of its own; the samples use documentation addresses and GuardDuty's Low
/// severity for an SSH brute force, so both are allowed, and "now" is fixed just after the samples' sightings.
/// </summary>
internal sealed class BlockerSamples : ISampleSeeds
{
    /// <summary>Later than every sample's last sighting, within the default 24 h retention.</summary>
    public static readonly DateTimeOffset SampleNow = DateTimeOffset.Parse("2026-11-21T12:30:00Z", CultureInfo.InvariantCulture);

    public string Folder => "attacker-ip-blocker";

    public string Function => "AttackerIpBlocker";

    public async Task<SampleRun?> PrepareAsync(BenchAccount account, string sample, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(account.RepoRoot, "events", Folder, sample)))
            return null;
        var blocklist = await BenchBlocklist.CreateAsync(account, Unique("blocklist"), cancellationToken);
        // GuardDuty names the attacked instance as the actor of an outbound connection: nothing to block.
        var expected = sample == "outbound-instance-is-actor.json" ? "Exempt" : "Remediated";
        return new SampleRun(Invocation(account.Sample(Path.Combine(Folder, sample)), blocklist, SampleNow), expected);
    }

    public BenchInvocation Invocation(string eventJson, BenchBlocklist blocklist, DateTimeOffset now) =>
        new(Function, eventJson, Parameters(blocklist))
        {
            Environment = new Dictionary<string, string> { [TestClock.Variable] = now.ToString("O", CultureInfo.InvariantCulture) },
            EnvironmentOverrides = blocklist.Variables,
        };

    public static Dictionary<string, string> Parameters(BenchBlocklist blocklist)
    {
        var parameters = Enforce(("AttackerRefuseDocumentationRanges", "false"), ("AttackerMinSeverity", "2"));
        foreach (var (name, value) in blocklist.Parameters)
            parameters[name] = value;
        return parameters;
    }
}

/// <summary>The pruner's scheduled run finds the attackers of the SQS batch sample blocked a day before, all expired.</summary>
internal sealed class PrunerSamples : ISampleSeeds
{
    private static readonly BlockerSamples Blocker = new();

    public string Folder => "blocklist-pruner";

    public string Function => "BlocklistPruner";

    public async Task<SampleRun?> PrepareAsync(BenchAccount account, string sample, CancellationToken cancellationToken)
    {
        if (sample != "scheduled-prune.json")
            return null;
        var blocklist = await BenchBlocklist.CreateAsync(account, Unique("blocklist"), cancellationToken);
        var batch = account.Sample(Path.Combine(Blocker.Folder, "sqs-batch.json"));
        var blocked = await account.InvokeAsync(Blocker.Invocation(batch, blocklist, BlockerSamples.SampleNow), cancellationToken);
        if (blocked.Status != "Remediated")
            throw new InvalidOperationException($"seeding the pruner's sample: the blocker answered {blocked.Status}: {blocked.Reason}");
        var prune = account.Sample(Path.Combine(Folder, sample));
        using var scheduled = JsonDocument.Parse(prune);
        return new SampleRun(new BenchInvocation(Function, prune, BlockerSamples.Parameters(blocklist))
        {
            // The schedule fires a day after the sightings: every block has expired.
            Environment = new Dictionary<string, string> { [TestClock.Variable] = scheduled.RootElement.GetProperty("time").GetString()! },
            EnvironmentOverrides = blocklist.Variables,
        }, "Remediated");
    }
}
