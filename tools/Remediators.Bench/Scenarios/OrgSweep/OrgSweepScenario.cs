using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Remediators.Bench.Harness;
using Remediators.Bench.Proxy;
using Remediators.Bench.Report;
using Remediators.Local;

namespace Remediators.Bench.Scenarios.OrgSweep;

/// <summary>
/// <c>org-sweep</c>: the PublicIngressRevoker's scheduled sweep in a hub with member accounts in two regions, each with
/// world-open security groups. The schedule dispatches one work message per (account, region) to the work queue; each
/// message then runs as its own invocation, at most SweepConcurrency at once, reaching its member through the member role
/// that member-roles.yaml deploys. Every world-open rule must be gone, with one AssumeRole per account and container.
/// </summary>
internal sealed class OrgSweepScenario(TextWriter output)
{
    public const string Function = "PublicIngressRevoker";
    public const string SecondRegion = "eu-west-1";
    private static readonly AwsOperation AssumeRole = new("sts", "AssumeRole");

    /// <param name="Accounts">Member accounts, besides the hub.</param>
    /// <param name="Groups">World-open security groups in each member account and region.</param>
    /// <param name="Concurrency">Work invocations at once; null takes the template's SweepConcurrency default.</param>
    public sealed record Options(int Accounts, int Groups, int? Concurrency = null);

    public static Command Command()
    {
        var accounts = new Option<int>("--accounts") { Description = "Member accounts (the hub is swept too)", DefaultValueFactory = _ => 50 };
        var groups = new Option<int>("--groups") { Description = "World-open security groups per member account and region", DefaultValueFactory = _ => 20 };
        var concurrency = new Option<int?>("--concurrency") { Description = "Work invocations at once (default: the template's SweepConcurrency)" };
        var command = new Command("org-sweep", "Sweep member accounts in two regions for world-open groups: calls per target, AssumeRole per account, concurrency")
        {
            accounts, groups, concurrency,
        };
        command.SetAction((parse, cancellationToken) => BenchCommand.RunAsync((repoRoot, output, token) =>
            new OrgSweepScenario(output).RunAsync(repoRoot, new Options(parse.GetValue(accounts), parse.GetValue(groups), parse.GetValue(concurrency)), token),
            cancellationToken));
        return command;
    }

    public async Task<IReadOnlyList<Check>> RunAsync(string repoRoot, Options options, CancellationToken cancellationToken)
    {
        var facts = TemplateFacts.Load(repoRoot);
        var concurrency = options.Concurrency ?? facts.NumberParameter("SweepConcurrency");
        var groupCap = facts.NumberParameter("RevokerMaxGroupsPerRun");
        if (options.Accounts is < 1 or > 1000 || options.Groups < 1 || options.Groups > groupCap || concurrency < 1)
            throw new ConfigurationException($"--accounts must be from 1 to 1,000, --groups from 1 to {groupCap} (RevokerMaxGroupsPerRun: more are left for the next sweep), --concurrency at least 1");
        string[] regions = [BenchAccount.Region, SecondRegion];
        output.WriteLine($"org-sweep: {options.Accounts} member account(s) x {regions.Length} regions x {options.Groups} world-open group(s), " +
            $"{concurrency} work invocation(s) at once");

        await using var account = await BenchAccount.StartAsync(repoRoot, FaultPlan.None, cancellationToken);
        await account.BuildAsync([Function], cancellationToken);
        var members = await BenchMembers.CreateAsync(account, options.Accounts, cancellationToken);
        var groups = new MemberGroups(members, regions, options.Groups);
        await groups.SeedAsync(cancellationToken);
        var queue = await WorkQueueSource.CreateQueueAsync(account, $"{Function}WorkQueue", cancellationToken);
        var function = new BenchInvocation(Function, account.Sample(Path.Combine("public-ingress-revoker", "scheduled-sweep.json")), new Dictionary<string, string>
        {
            ["Mode"] = "enforce", ["TargetAccounts"] = string.Join(',', members.Accounts), ["TargetRegions"] = SecondRegion,
        })
        {
            EnvironmentOverrides = new Dictionary<string, string> { ["SWEEP_QUEUE_URL"] = queue.QueueUrl, ["SWEEP_QUEUE_ARN"] = queue.QueueArn },
        };

        account.Proxy.TakeCalls();
        var wallClock = Stopwatch.StartNew();
        var dispatch = await account.InvokeAsync(function, cancellationToken);
        var dispatchCalls = CallCounts.Of(account.Proxy.TakeCalls());
        var runs = await queue.DrainAsync(function, concurrency, cancellationToken);
        wallClock.Stop();
        var unattributed = account.Proxy.TakeCalls();
        var (fixedGroups, privateKept) = await groups.ReadAsync(cancellationToken);

        var targets = runs.Select(r => (Run: r, Account: WorkAccount(r.Body))).ToList();
        var memberRuns = targets.Where(t => t.Account != BenchAccount.AccountId).Select(t => t.Run).ToList();
        var failed = runs.Where(r => !r.Outcome.Answered || r.Outcome.Status is not ("Remediated" or "AlreadyCompliant")).ToList();
        var assumed = runs.Sum(r => AssumeRoles(r));
        var maxAssumedPerRun = runs.Count == 0 ? 0 : runs.Max(AssumeRoles);
        var hubAssumed = targets.Where(t => t.Account == BenchAccount.AccountId).Sum(t => AssumeRoles(t.Run));
        var maxCalls = runs.Count == 0 ? 0 : runs.Max(r => r.Calls.Count);
        var memberCallsPerGroup = memberRuns.Count == 0 ? 0 : memberRuns.Sum(r => r.Calls.Count) / (double)groups.Count;
        // AssumeRole, one page of the region's rules, DescribeLoadBalancers for the exposed groups, one revoke per group.
        var callBudget = options.Groups + 3;
        var expectedTargets = (options.Accounts + 1) * regions.Length;

        var table = new TextTable("Measure", "Value");
        table.AddRow("targets dispatched (account, region)", dispatch.Count("TargetsDispatched"));
        table.AddRow("work invocations", runs.Count);
        table.AddRow("failed targets", failed.Count);
        table.AddRow("max invocations at once", queue.MaxConcurrency);
        table.AddRow("world-open groups seeded", groups.Count);
        table.AddRow("groups fixed (re-read from moto)", fixedGroups);
        table.AddRow("private rules kept", privateKept);
        table.AddRow("AWS calls of the work invocations", runs.Sum(r => r.Calls.Count));
        table.AddRow("AWS calls per target (mean)", runs.Count == 0 ? 0 : runs.Average(r => r.Calls.Count));
        table.AddRow("AWS calls per target (max)", maxCalls);
        table.AddRow("AWS calls per fixed group, member targets", memberCallsPerGroup);
        table.AddRow("AssumeRole calls", assumed);
        table.AddRow("AssumeRole per member account", assumed / (double)options.Accounts);
        table.AddRow("AssumeRole per invocation (max)", maxAssumedPerRun);
        table.AddRow("wall time, dispatch and work (s)", wallClock.Elapsed.TotalSeconds);
        table.AddRow("median work invocation (s)", runs.Count == 0 ? 0 : Statistics.Median(runs.Select(r => r.Outcome.Result.Elapsed.TotalSeconds)));
        table.Write(output);
        output.WriteLine();
        output.WriteLine($"dispatch: {dispatch.Status} - {dispatch.Reason}; calls: {dispatchCalls}");
        output.WriteLine($"work calls by operation: {CallCounts.Of(runs.SelectMany(r => r.Calls))}");
        foreach (var failure in failed.Take(10))
            output.WriteLine($"target failed: {WorkTarget(failure.Body)}: {failure.Outcome.Status}: {failure.Outcome.Reason}");
        output.WriteLine();

        return
        [
            Check.That("dispatch answered", dispatch.Answered && dispatch.Status == "Remediated", dispatch.Status, "Remediated"),
            Check.Exactly("work invocations (one per account and region)", runs.Count, expectedTargets),
            Check.Exactly("failed targets", failed.Count, 0),
            Check.Exactly("groups fixed", fixedGroups, groups.Count),
            Check.Exactly("private rules kept", privateKept, groups.Count),
            Check.AtMost("AssumeRole per account per container (goal)", maxAssumedPerRun, 1),
            Check.Exactly("AssumeRole for the hub's own targets", hubAssumed, 0),
            Check.AtMost("AWS calls per target", maxCalls, callBudget),
            Check.Exactly("calls not attributed to a work invocation", unattributed.Count, 0),
            Check.AtMost("invocations at once", queue.MaxConcurrency, concurrency),
        ];
    }

    private static int AssumeRoles(WorkRun run) => run.Calls.Count(c => c.Operation == AssumeRole);

    private static string WorkAccount(string body)
    {
        using var work = JsonDocument.Parse(body);
        return work.RootElement.GetProperty("account").GetString() ?? "";
    }

    private static string WorkTarget(string body)
    {
        using var work = JsonDocument.Parse(body);
        return string.Create(CultureInfo.InvariantCulture, $"{work.RootElement.GetProperty("account").GetString()}/{work.RootElement.GetProperty("region").GetString()}");
    }
}
