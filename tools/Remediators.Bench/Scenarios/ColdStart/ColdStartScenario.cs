using System.CommandLine;
using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.Bench.Harness;
using Remediators.Bench.Proxy;
using Remediators.Bench.Report;

namespace Remediators.Bench.Scenarios.ColdStart;

/// <summary>
/// <c>cold-start</c>: the PublicIngressRevoker published as JIT, ReadyToRun and Native AOT, each started fresh for every
/// run: time from starting the process to its first response through the local Runtime API (a real remediation of a
/// freshly opened group, so first-call costs of the AWS clients count), as medians and ratios to JIT.
/// </summary>
internal sealed class ColdStartScenario(TextWriter output)
{
    public const string Function = "PublicIngressRevoker";
    private const string SampleGroupId = "sg-0a1b2c3d4e5f60718";

    /// <param name="Runs">Timed runs per variant, after one untimed warm-up run each (disk cache, moto's first calls).</param>
    public sealed record Options(int Runs, IReadOnlyList<PublishedVariant> Variants);

    public static Command Command()
    {
        var runs = new Option<int>("--runs") { Description = "Timed runs per variant (the median is reported)", DefaultValueFactory = _ => 7 };
        var variants = new Option<string[]>("--variants")
        {
            Description = $"Variants to compare: {string.Join(", ", PublishedVariant.All.Select(v => v.Name))} (default: all)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("cold-start", "Process start to first response of the revoker published as JIT, ReadyToRun and Native AOT") { runs, variants };
        command.SetAction((parse, cancellationToken) => BenchCommand.RunAsync((repoRoot, output, token) =>
            new ColdStartScenario(output).RunAsync(repoRoot, new Options(parse.GetValue(runs), Select(parse.GetValue(variants))), token), cancellationToken));
        return command;
    }

    public async Task<IReadOnlyList<Check>> RunAsync(string repoRoot, Options options, CancellationToken cancellationToken)
    {
        if (options.Runs < 1 || options.Variants.Count == 0)
            throw new Local.ConfigurationException("--runs must be at least 1, with at least one variant");
        output.WriteLine($"cold-start: {Function}, {options.Runs} timed run(s) per variant after one warm-up, variants interleaved");
        await using var account = await BenchAccount.StartAsync(repoRoot, FaultPlan.None, cancellationToken);
        await account.BuildAsync([Function], cancellationToken);
        var folders = new Dictionary<PublishedVariant, string?>();
        foreach (var variant in options.Variants)
        {
            output.WriteLine($"publishing {variant.Name}: {variant.Description}");
            folders[variant] = await variant.EnsurePublishedAsync(repoRoot, Function, cancellationToken);
        }

        var runs = options.Variants.ToDictionary(v => v, _ => new List<(FunctionOutcome Outcome, CallCounts Calls)>());
        for (var round = 0; round <= options.Runs; round++)
        {
            // Each round starts with another variant, so no variant always runs right after the same one.
            foreach (var variant in options.Variants.Skip(round % options.Variants.Count).Concat(options.Variants.Take(round % options.Variants.Count)))
            {
                var group = await OpenGroupAsync(account, cancellationToken);
                account.Proxy.TakeCalls();
                var outcome = await account.InvokeAsync(new BenchInvocation(Function,
                    account.Sample(Path.Combine("public-ingress-revoker", "authorize-security-group-ingress.json"), (SampleGroupId, group)),
                    new Dictionary<string, string> { ["Mode"] = "enforce" }) { ArtifactsFolder = folders[variant] }, cancellationToken);
                var calls = CallCounts.Of(account.Proxy.TakeCalls());
                if (round > 0)
                    runs[variant].Add((outcome, calls));
            }
        }

        var jitMedian = runs.TryGetValue(PublishedVariant.Jit, out var jitRuns) ? MedianMs(jitRuns) : (double?)null;
        var table = new TextTable("Variant", "Runs", "Median ms", "Min ms", "Max ms", "Ratio to JIT", "Peak MB", "Package MB");
        foreach (var (variant, results) in runs)
        {
            var elapsed = results.Select(r => r.Outcome.Result.Elapsed.TotalMilliseconds).ToList();
            var median = MedianMs(results);
            table.AddRow(variant.Name, results.Count, median, elapsed.Min(), elapsed.Max(), jitMedian is { } jit ? median / jit : "-",
                Statistics.Median(results.Select(r => (r.Outcome.Result.PeakMemoryBytes ?? 0) / 1048576.0)),
                PublishedVariant.PackageBytes(folders[variant] ?? Path.Combine(repoRoot, ".local", "artifacts", Function)) / 1048576.0);
        }
        table.Write(output);
        output.WriteLine();

        var referenceCalls = runs.Values.First()[0].Calls.ToString();
        var failed = runs.SelectMany(r => r.Value.Where(x => x.Outcome.Status != "Remediated").Select(x => $"{r.Key.Name}: {x.Outcome.Status} {x.Outcome.Reason}")).ToList();
        var differing = runs.SelectMany(r => r.Value.Where(x => x.Calls.ToString() != referenceCalls).Select(x => $"{r.Key.Name}: {x.Calls}")).ToList();
        output.WriteLine($"every run: {referenceCalls}");
        foreach (var line in failed.Concat(differing))
            output.WriteLine(line);
        output.WriteLine();
        return
        [
            Check.Exactly("runs not remediating the group", failed.Count, 0),
            Check.Exactly("runs whose AWS calls differ from the first", differing.Count, 0),
        ];
    }

    private static double MedianMs(IEnumerable<(FunctionOutcome Outcome, CallCounts Calls)> runs) =>
        Statistics.Median(runs.Select(r => r.Outcome.Result.Elapsed.TotalMilliseconds));

    private static List<PublishedVariant> Select(string[]? names) =>
        names is null or [] ? [.. PublishedVariant.All]
            : [.. names.Select(name => PublishedVariant.All.SingleOrDefault(v => v.Name == name)
                ?? throw new Local.ConfigurationException($"unknown variant '{name}'; choose from {string.Join(", ", PublishedVariant.All.Select(v => v.Name))}"))];

    /// <summary>A new group in the default VPC with SSH open to the world, as the sample's API call left it.</summary>
    private static async Task<string> OpenGroupAsync(BenchAccount account, CancellationToken cancellationToken)
    {
        var ec2 = account.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(BenchAccount.Region, (c, config) => new AmazonEC2Client(c, config));
        var name = $"cold-{Guid.NewGuid():N}";
        var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = name, Description = name }, cancellationToken)).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = group,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] }],
        }, cancellationToken);
        return group;
    }
}
