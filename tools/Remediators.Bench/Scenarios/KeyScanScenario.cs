using System.CommandLine;
using System.Globalization;
using Remediators.Bench.Harness;
using Remediators.Bench.Proxy;
using Remediators.Bench.Report;
using Remediators.Core.Aws;
using Remediators.Local;

namespace Remediators.Bench.Scenarios;

/// <summary>
/// <c>key-scan</c>: the UnusedKeyDisabler's scheduled scan of an account with many users of two keys each, a few of
/// them created long ago and never used: AWS calls by operation, and the function process's peak memory.
/// </summary>
internal sealed class KeyScanScenario(TextWriter output)
{
    public const string Function = "UnusedKeyDisabler";
    public const long PeakMemoryGoalMb = 128;
    private const int StaleKeyAgeDays = 200;
    private const int SeedingParallelism = 8;

    /// <param name="Users">IAM users, each with two access keys.</param>
    /// <param name="StalePercent">Share of all keys created <see cref="StaleKeyAgeDays"/> days ago and never used.</param>
    /// <param name="MemoryMb">
    /// The Lambda memory size to approximate: a function that sees this machine's memory lets its heap grow lazily, so its
    /// GC heap is limited to 75 % of this, as .NET limits it by default in a container of this size; 0 leaves it unlimited.
    /// </param>
    public sealed record Options(int Users, double StalePercent, int MemoryMb = (int)PeakMemoryGoalMb);

    public static Command Command()
    {
        var users = new Option<int>("--users") { Description = "IAM users to seed, two access keys each", DefaultValueFactory = _ => 10_000 };
        var stale = new Option<double>("--stale-percent") { Description = $"Percent of the keys made {StaleKeyAgeDays} days old and never used", DefaultValueFactory = _ => 1 };
        var memory = new Option<int>("--memory-mb")
        {
            Description = "Lambda memory size to approximate: the function's GC heap is limited to 75 % of it (0: unlimited)",
            DefaultValueFactory = _ => (int)PeakMemoryGoalMb,
        };
        var command = new Command("key-scan", "Scan a large account for unused access keys: AWS calls by operation and peak memory of the function")
        {
            users, stale, memory,
        };
        command.SetAction((parse, cancellationToken) => BenchCommand.RunAsync((repoRoot, output, token) =>
            new KeyScanScenario(output).RunAsync(repoRoot, new Options(parse.GetValue(users), parse.GetValue(stale), parse.GetValue(memory)), token), cancellationToken));
        return command;
    }

    public async Task<IReadOnlyList<Check>> RunAsync(string repoRoot, Options options, CancellationToken cancellationToken)
    {
        if (options.Users < 1 || options.StalePercent is < 0 or > 50 || options.MemoryMb < 0)
            throw new ConfigurationException("--users must be at least 1, --stale-percent from 0 to 50 (one stale key per user at most), --memory-mb 0 or more");
        var staleKeys = (int)Math.Round(options.Users * 2 * options.StalePercent / 100);
        var stride = staleKeys == 0 ? int.MaxValue : Math.Max(1, options.Users / staleKeys);
        var users = Enumerable.Range(0, options.Users)
            .Select(i => new SeededUser($"bench-user-{i:D5}", HasStaleKey: i % stride == 0 && i / stride < staleKeys)).ToList();
        var heapLimit = options.MemoryMb * 1024L * 1024 * 3 / 4;
        output.WriteLine($"key-scan: {users.Count} users x 2 keys, {staleKeys} key(s) created {StaleKeyAgeDays} days ago and never used; " +
            (options.MemoryMb > 0 ? $"GC heap limited to {heapLimit / (1024 * 1024)} MB, as in a {options.MemoryMb} MB Lambda" : "GC heap unlimited"));

        await using var account = await BenchAccount.StartAsync(repoRoot, FaultPlan.None, cancellationToken);
        await account.BuildAsync([Function], cancellationToken);
        await SeedAsync(account, users, cancellationToken);

        account.Proxy.TakeCalls();
        var outcome = await account.InvokeAsync(new BenchInvocation(Function, account.Sample(Path.Combine("unused-key-disabler", "scheduled-scan.json")),
            new Dictionary<string, string>
            {
                ["Mode"] = "enforce",
                ["ExemptUserNames"] = BenchAccount.SigningUser,
                // The template's maximum, so every stale key is deactivated in this one run (the default cap is 10).
                ["MaxKeysPerRun"] = "1000",
            })
        {
            Environment = options.MemoryMb > 0
                ? new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = heapLimit.ToString("x", CultureInfo.InvariantCulture) }
                : new Dictionary<string, string>(),
        }, cancellationToken);
        var calls = CallCounts.Of(account.Proxy.TakeCalls());
        var inactive = await InactiveKeysAsync(account, cancellationToken);
        var staleDeactivated = users.Count(u => u.HasStaleKey && inactive.Contains((u.Name, 1)));
        var othersDeactivated = inactive.Count - staleDeactivated;
        var peakMb = outcome.Result.PeakMemoryBytes is { } bytes ? bytes / (1024 * 1024) : -1;

        var table = new TextTable("Operation", "Calls");
        foreach (var (operation, count) in calls.ByOperation)
            table.AddRow(operation.ToString(), count);
        table.AddRow("all", calls.Total);
        table.Write(output);
        output.WriteLine();
        output.WriteLine($"outcome: {outcome.Status} - {outcome.Reason}");
        output.WriteLine($"keys deactivated: {staleDeactivated} of {staleKeys} stale, {othersDeactivated} others; " +
            $"peak memory {(peakMb < 0 ? "unknown" : $"{peakMb} MB")}; invocation {outcome.Result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
        output.WriteLine();

        return
        [
            Check.That("scan answered", outcome.Answered, outcome.Status, "an outcome"),
            Check.Exactly("stale keys deactivated", staleDeactivated, staleKeys),
            Check.Exactly("other keys deactivated", othersDeactivated, 0),
            Check.That("peak memory of the function (goal)", peakMb is >= 0 and <= PeakMemoryGoalMb, peakMb < 0 ? "unknown" : $"{peakMb} MB", $"<= {PeakMemoryGoalMb} MB"),
        ];
    }

    private sealed record SeededUser(string Name, bool HasStaleKey);

    /// <summary>
    /// Users with a stale key get it (as their first key) while moto's clock is moved back; every other key is created at
    /// the real time and never used, so only the stale ones are past the never-used grace period.
    /// </summary>
    private static async Task SeedAsync(BenchAccount account, IReadOnlyList<SeededUser> users, CancellationToken cancellationToken)
    {
        var iam = account.Clients.Iam(BenchAccount.Region);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = SeedingParallelism, CancellationToken = cancellationToken };
        await account.SkipSignatureChecksAsync();
        try
        {
            await account.SetMotoClockAsync(StaleKeyAgeDays, cancellationToken);
            await Parallel.ForEachAsync(users.Where(u => u.HasStaleKey), parallel, async (user, token) =>
            {
                await CreateUserAsync(iam, user.Name, token);
                await CreateKeyAsync(iam, user.Name, token);
            });
            await account.SetMotoClockAsync(0, cancellationToken);
            await Parallel.ForEachAsync(users, parallel, async (user, token) =>
            {
                if (!user.HasStaleKey)
                {
                    await CreateUserAsync(iam, user.Name, token);
                    await CreateKeyAsync(iam, user.Name, token);
                }
                await CreateKeyAsync(iam, user.Name, token);
            });
        }
        finally
        {
            await account.RequireSignaturesAsync();
        }
    }

    private static async Task CreateUserAsync(IamClient iam, string userName, CancellationToken cancellationToken) =>
        await iam.CallAsync("CreateUser", [new("UserName", userName)], cancellationToken);

    private static async Task CreateKeyAsync(IamClient iam, string userName, CancellationToken cancellationToken) =>
        await iam.CallAsync("CreateAccessKey", [new("UserName", userName)], cancellationToken);

    /// <summary>(user, key number 1 or 2) of every inactive key, from a credential report read straight from moto.</summary>
    private static async Task<HashSet<(string User, int Key)>> InactiveKeysAsync(BenchAccount account, CancellationToken cancellationToken)
    {
        var iam = account.Clients.Iam(BenchAccount.Region);
        await iam.GenerateCredentialReportAsync(cancellationToken);
        var lines = (await iam.GetCredentialReportAsync(cancellationToken)).Csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        var inactive = new HashSet<(string, int)>();
        foreach (var fields in lines.Skip(1).Select(line => line.Split(',')))
        {
            for (var key = 1; key <= 2; key++)
            {
                // A key that does not exist reads "false" too, but was never rotated.
                if (fields[header.IndexOf($"access_key_{key}_active")] == "false" && fields[header.IndexOf($"access_key_{key}_last_rotated")] != "N/A")
                    inactive.Add((fields[0], key));
            }
        }
        return inactive;
    }
}
