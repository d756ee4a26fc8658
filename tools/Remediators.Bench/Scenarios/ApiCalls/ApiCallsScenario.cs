using System.CommandLine;
using Remediators.Bench.Harness;
using Remediators.Bench.Proxy;
using Remediators.Bench.Report;

namespace Remediators.Bench.Scenarios.ApiCalls;

/// <summary>
/// <c>api-calls</c>: every sample under events/, with the resources it names seeded, run through its function: the AWS
/// calls each invocation made, by operation. The revoker may make at most five per event (three by group id: rules, the ALB
/// check every exposed group needs, the revoke; a by-name event also finds the default VPC and its group of that name).
/// </summary>
internal sealed class ApiCallsScenario(TextWriter output)
{
    public const string Revoker = "PublicIngressRevoker";
    public const int RevokerCallLimit = 5;

    private static readonly ISampleSeeds[] AllSeeds =
        [new RevokerSamples(), new KeyDisablerSamples(), new EncryptionSamples(), new BlockerSamples(), new PrunerSamples()];

    /// <param name="Function">Only this function's samples; null runs every sample.</param>
    public sealed record Options(string? Function = null);

    public static Command Command()
    {
        var function = new Option<string?>("--function") { Description = "Run only this function's samples (its logical id)" };
        var command = new Command("api-calls", "AWS calls by operation for every sample event, with the resources it names seeded") { function };
        command.SetAction((parse, cancellationToken) => BenchCommand.RunAsync((repoRoot, output, token) =>
            new ApiCallsScenario(output).RunAsync(repoRoot, new Options(parse.GetValue(function)), token), cancellationToken));
        return command;
    }

    public async Task<IReadOnlyList<Check>> RunAsync(string repoRoot, Options options, CancellationToken cancellationToken)
    {
        var folders = Directory.GetDirectories(Path.Combine(repoRoot, "events")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var seeds = folders.Select(folder => (Folder: folder!, Seeds: AllSeeds.SingleOrDefault(s => s.Folder == folder)))
            .Where(f => options.Function is null || f.Seeds?.Function == options.Function).ToList();
        if (seeds.Count == 0)
            throw new Local.ConfigurationException($"no samples in events/ belong to {options.Function}");

        await using var account = await BenchAccount.StartAsync(repoRoot, FaultPlan.None, cancellationToken);
        await account.BuildAsync(seeds.Where(s => s.Seeds is not null).Select(s => s.Seeds!.Function), cancellationToken);
        var table = new TextTable("Function", "Sample", "Status", "Calls", "Writes", "Operations");
        var unseeded = new List<string>();
        var unexpected = new List<string>();
        var revokerMax = 0;
        foreach (var (folder, function) in seeds)
        {
            foreach (var sample in Directory.GetFiles(Path.Combine(repoRoot, "events", folder), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                var run = function is null ? null : await function.PrepareAsync(account, sample!, cancellationToken);
                if (run is null)
                {
                    unseeded.Add($"{folder}/{sample}");
                    continue;
                }
                account.Proxy.TakeCalls();
                var outcome = await account.InvokeAsync(run.Invocation, cancellationToken);
                var calls = CallCounts.Of(account.Proxy.TakeCalls());
                table.AddRow(function!.Function, sample!, outcome.Status, calls.Total, calls.Mutating, calls.ToString());
                if (outcome.Status != run.ExpectedStatus)
                    unexpected.Add($"{folder}/{sample}: {outcome.Status} ({outcome.Reason}), expected {run.ExpectedStatus}");
                if (function.Function == Revoker)
                    revokerMax = Math.Max(revokerMax, calls.Total);
            }
        }

        table.Write(output);
        output.WriteLine();
        foreach (var line in unseeded.Select(s => $"no seeding for {s}: add it to the api-calls scenario").Concat(unexpected))
            output.WriteLine(line);

        List<Check> checks =
        [
            Check.Exactly("samples without seeding", unseeded.Count, 0),
            Check.Exactly("samples not ending as seeded for", unexpected.Count, 0),
        ];
        if (options.Function is null or Revoker)
            checks.Add(Check.AtMost($"{Revoker} calls per event", revokerMax, RevokerCallLimit));
        return checks;
    }
}
