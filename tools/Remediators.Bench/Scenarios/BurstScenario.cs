using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Remediators.Bench.Harness;
using Remediators.Bench.Proxy;
using Remediators.Bench.Report;
using Remediators.Local;

namespace Remediators.Bench.Scenarios;

/// <summary>
/// <c>burst</c>: GuardDuty findings, each from its own address, delivered to the AttackerIpBlocker as SQS batches of the
/// template's batch size while the proxy enforces WAF's write quota per IP set. Every address must end up blocked, with
/// few IP set writes and never two to one set within a second. With member accounts, the findings are spread across them
/// as a delegated-admin GuardDuty in the hub reports them (detail.accountId the member, the envelope the hub), and still
/// every address goes to the hub's sets.
/// </summary>
internal sealed class BurstScenario(TextWriter output)
{
    public const string Function = "AttackerIpBlocker";
    public const int UpdateIpSetGoal = 20;

    // Lambda hands a failed batch back to the queue; the bench delivers it again at most this often before counting it lost.
    private const int Deliveries = 3;

    /// <param name="Findings">How many findings (distinct attackers).</param>
    /// <param name="BatchSize">Findings per SQS batch; null takes the template's default.</param>
    /// <param name="Concurrency">Invocations at once; null takes the function's reserved concurrency in the template.</param>
    /// <param name="Accounts">Member accounts the findings are about, in turn; 0: the hub's own account only.</param>
    public sealed record Options(int Findings, int? BatchSize = null, int? Concurrency = null, int Accounts = 0);

    public static Command Command()
    {
        var findings = new Option<int>("--findings") { Description = "Findings to deliver, each from a distinct address", DefaultValueFactory = _ => 1000 };
        var batchSize = new Option<int?>("--batch-size") { Description = "Findings per SQS batch (default: the template's AttackerBatchSize)" };
        var concurrency = new Option<int?>("--concurrency") { Description = "Invocations at once (default: the blocker's reserved concurrency)" };
        var accounts = new Option<int>("--accounts") { Description = "Member accounts the findings are spread across (0: the hub's own)", DefaultValueFactory = _ => 0 };
        var command = new Command("burst", "Block a burst of findings with distinct attackers: IP set writes, WAF write rate, lost addresses")
        {
            findings, batchSize, concurrency, accounts,
        };
        command.SetAction((parse, cancellationToken) => BenchCommand.RunAsync((repoRoot, output, token) =>
            new BurstScenario(output).RunAsync(repoRoot, new Options(parse.GetValue(findings), parse.GetValue(batchSize), parse.GetValue(concurrency), parse.GetValue(accounts)), token),
            cancellationToken));
        return command;
    }

    public async Task<IReadOnlyList<Check>> RunAsync(string repoRoot, Options options, CancellationToken cancellationToken)
    {
        var facts = TemplateFacts.Load(repoRoot);
        var batchSize = options.BatchSize ?? facts.SqsBatchSize(Function);
        var concurrency = options.Concurrency ?? facts.ReservedConcurrency(Function);
        if (options.Findings is < 1 or > 16_000_000 || batchSize < 1 || concurrency < 1 || options.Accounts is < 0 or > 1000)
            throw new ConfigurationException("--findings must be from 1 to 16,000,000, --batch-size and --concurrency at least 1, --accounts from 0 to 1,000");
        output.WriteLine($"burst: {options.Findings} findings in SQS batches of {batchSize}, {concurrency} invocation(s) at once, WAF write quota enforced" +
            (options.Accounts > 0 ? $", findings about {options.Accounts} member accounts in turn" : ""));

        await using var account = await BenchAccount.StartAsync(repoRoot, FaultPlan.WafQuotaOnly, cancellationToken);
        await account.BuildAsync([Function], cancellationToken);
        var blocklist = await BenchBlocklist.CreateAsync(account, "burst-blocklist", cancellationToken);
        IReadOnlyList<string> members = options.Accounts > 0 ? (await BenchMembers.CreateAsync(account, options.Accounts, cancellationToken)).Accounts : [];
        var attackers = Enumerable.Range(1, options.Findings).Select(Attacker).ToList();
        var now = DateTimeOffset.UtcNow;
        string About(int attacker) => members.Count > 0 ? members[attacker % members.Count] : BenchAccount.AccountId;
        var batches = attackers.Select((ip, i) => Finding(account, ip, About(i), now)).Chunk(batchSize).Select(SqsBatch).ToList();
        var parameters = new Dictionary<string, string>(blocklist.Parameters)
        {
            ["Mode"] = "enforce",
            // GuardDuty rates an inbound SSH brute force Low (2), below the default minimum.
            ["AttackerMinSeverity"] = "2",
        };
        if (members.Count > 0)
            parameters["TargetAccounts"] = string.Join(',', members);

        account.Proxy.TakeCalls();
        var wallClock = Stopwatch.StartNew();
        var delivery = await DeliverAsync(account, batches, new BenchInvocation(Function, "", parameters) { EnvironmentOverrides = blocklist.Variables },
            concurrency, cancellationToken);
        wallClock.Stop();
        var calls = account.Proxy.TakeCalls();

        var blocked = (await blocklist.Ipv4AddressesAsync(account, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var lost = attackers.Count(ip => !blocked.Contains($"{ip}/32"));
        var writes = calls.Count(c => c.Operation == new AwsOperation("wafv2", "UpdateIPSet"));
        var refused = calls.Count(c => c.Fault == FaultKind.WafQuota);
        var maxPerSecond = WafWriteRate.MaxWritesPerSecond(calls);
        var assumed = calls.Count(c => c.Operation == new AwsOperation("sts", "AssumeRole"));

        var table = new TextTable("Measure", "Value");
        table.AddRow("findings delivered", options.Findings);
        table.AddRow("SQS batches", batches.Count);
        table.AddRow("invocations (redeliveries included)", delivery.Invocations);
        table.AddRow("batches failed after " + Deliveries + " deliveries", delivery.Failed.Count);
        table.AddRow("addresses blocked", blocked.Count);
        table.AddRow("addresses lost", lost);
        table.AddRow("UpdateIPSet calls", writes);
        table.AddRow("writes refused by WAF's quota", refused);
        table.AddRow("max writes to one set in one second", maxPerSecond);
        table.AddRow("AWS calls in all", calls.Count);
        if (members.Count > 0)
        {
            table.AddRow("member accounts", members.Count);
            table.AddRow("AssumeRole calls", assumed);
        }
        table.AddRow("wall time (s)", wallClock.Elapsed.TotalSeconds);
        table.AddRow("median invocation (s)", Statistics.Median(delivery.Durations.Select(d => d.TotalSeconds)));
        table.Write(output);
        output.WriteLine();
        output.WriteLine($"calls by operation: {CallCounts.Of(calls)}");
        foreach (var retried in delivery.Retried)
            output.WriteLine($"delivered again after: {retried.Status}: {retried.Reason}");
        foreach (var failure in delivery.Failed)
            output.WriteLine($"batch failed: {failure.Status}: {failure.Reason}");
        output.WriteLine();

        return
        [
            Check.Exactly("addresses lost", lost, 0),
            Check.AtMost("max writes to one IP set per second", maxPerSecond, 1),
            Check.AtMost("UpdateIPSet calls (goal)", writes, UpdateIpSetGoal),
            Check.Exactly("batches failed after retries", delivery.Failed.Count, 0),
            // Each invocation is its own container here.
            Check.AtMost("AssumeRole calls (one per member account per invocation at most)", assumed, (long)members.Count * delivery.Invocations),
        ];
    }

    private static string Attacker(int index) => string.Create(CultureInfo.InvariantCulture, $"11.{index / 65536 % 256}.{index / 256 % 256}.{index % 256}");

    /// <summary>
    /// An inbound SSH brute force from <paramref name="attacker"/> against an instance in <paramref name="about"/>, as the hub's
    /// (delegated-admin) GuardDuty would send it now: its envelope is the hub's, whichever account it is about.
    /// </summary>
    private static string Finding(BenchAccount account, string attacker, string about, DateTimeOffset now)
    {
        var finding = JsonNode.Parse(account.Sample(Path.Combine("attacker-ip-blocker", "ssh-brute-force.json")))!;
        var detail = finding["detail"]!;
        detail["accountId"] = about;
        string Iso(TimeSpan ago) => (now - ago).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        finding["id"] = Guid.NewGuid().ToString();
        finding["time"] = Iso(TimeSpan.Zero);
        detail["id"] = Guid.NewGuid().ToString("N");
        detail["createdAt"] = Iso(TimeSpan.FromMinutes(1));
        detail["updatedAt"] = Iso(TimeSpan.FromMinutes(1));
        detail["service"]!["eventFirstSeen"] = Iso(TimeSpan.FromMinutes(30));
        detail["service"]!["eventLastSeen"] = Iso(TimeSpan.FromMinutes(2));
        detail["service"]!["action"]!["networkConnectionAction"]!["remoteIpDetails"]!["ipAddressV4"] = attacker;
        return finding.ToJsonString();
    }

    /// <summary>The event Lambda's SQS poller hands the function: each message body one EventBridge event.</summary>
    private static string SqsBatch(IEnumerable<string> bodies, int batch) => new JsonObject
    {
        ["Records"] = new JsonArray([.. bodies.Select((body, i) => (JsonNode)new JsonObject
        {
            ["messageId"] = $"burst-{batch:D4}-{i:D4}", ["receiptHandle"] = $"handle-{batch}-{i}", ["body"] = body,
            ["eventSource"] = "aws:sqs", ["eventSourceARN"] = $"arn:aws:sqs:{BenchAccount.Region}:{BenchAccount.AccountId}:FindingsQueue",
            ["awsRegion"] = BenchAccount.Region,
        })]),
    }.ToJsonString();

    private sealed record Delivery(int Invocations, IReadOnlyList<TimeSpan> Durations, IReadOnlyList<FunctionOutcome> Retried, IReadOnlyList<FunctionOutcome> Failed);

    /// <summary>Hands the batches to <paramref name="concurrency"/> invocations at a time; a failed batch is delivered again, as SQS would.</summary>
    private static async Task<Delivery> DeliverAsync(
        BenchAccount account, IReadOnlyList<string> batches, BenchInvocation template, int concurrency, CancellationToken cancellationToken)
    {
        var durations = new ConcurrentBag<TimeSpan>();
        var retried = new ConcurrentBag<FunctionOutcome>();
        var failed = new ConcurrentBag<FunctionOutcome>();
        var invocations = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (batch, token) =>
        {
            for (var delivery = 1; ; delivery++)
            {
                Interlocked.Increment(ref invocations);
                var outcome = await account.InvokeAsync(template with { EventJson = batch }, token);
                durations.Add(outcome.Result.Elapsed);
                if (outcome.Answered)
                    return;
                if (delivery == Deliveries)
                {
                    failed.Add(outcome);
                    return;
                }
                retried.Add(outcome);
            }
        });
        return new Delivery(invocations, [.. durations], [.. retried], [.. failed]);
    }
}
