using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Remediators.Bench.Proxy;

namespace Remediators.Bench.Harness;

/// <summary>One work message's invocation: the message, what the function answered, and every AWS call it made.</summary>
/// <param name="Calls">Its calls signed with its hub identity, then those signed with each session it assumed.</param>
internal sealed record WorkRun(string Body, FunctionOutcome Outcome, IReadOnlyList<ProxiedCall> Calls);

/// <summary>
/// Lambda's SQS event source on a sweep's work queue, as template.yaml maps it: one message per invocation (BatchSize 1), at
/// most a given number of invocations at once (MaximumConcurrency). The queue is read and emptied straight at moto, as
/// Lambda's poller does it outside the function. Each message is delivered once: a failed one is reported, not retried.
/// Every slot of the concurrency signs with its own hub identity and runs one invocation at a time, so the calls signed
/// with that identity, and with the sessions its AssumeRole calls were issued, are exactly that invocation's.
/// </summary>
internal sealed class WorkQueueSource(BenchAccount account, string queueUrl, string queueArn)
{
    private readonly AmazonSQSClient _sqs = Sqs(account);
    private int _running;
    private int _maxRunning;

    /// <summary>The most invocations that were running at once.</summary>
    public int MaxConcurrency => _maxRunning;

    public static async Task<WorkQueueSource> CreateQueueAsync(BenchAccount account, string name, CancellationToken cancellationToken)
    {
        // Six times the function's timeout, as the template's work queue.
        var url = (await Sqs(account).CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name, Attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = "360" },
        }, cancellationToken)).QueueUrl;
        return new WorkQueueSource(account, url, $"arn:aws:sqs:{BenchAccount.Region}:{BenchAccount.AccountId}:{name}");
    }

    public string QueueUrl => queueUrl;

    public string QueueArn => queueArn;

    /// <summary>Invokes <paramref name="function"/> once per message until the queue is empty, <paramref name="concurrency"/> at a time.</summary>
    public async Task<IReadOnlyList<WorkRun>> DrainAsync(BenchInvocation function, int concurrency, CancellationToken cancellationToken)
    {
        var slots = new List<IReadOnlyDictionary<string, string>>();
        for (var slot = 0; slot < concurrency; slot++)
            slots.Add(await account.CreateSigningIdentityAsync($"bench-work-slot-{slot}"));
        var runs = new List<WorkRun>();
        await Parallel.ForEachAsync(slots, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (identity, token) =>
        {
            while ((await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 1 }, token)).Messages is [var message])
            {
                var run = await InvokeAsync(function with { EventJson = SqsEvent(message), Environment = identity }, identity["AWS_ACCESS_KEY_ID"], message.Body, token);
                await _sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, token);
                lock (runs)
                    runs.Add(run);
            }
        });
        return runs;
    }

    private async Task<WorkRun> InvokeAsync(BenchInvocation invocation, string accessKeyId, string body, CancellationToken cancellationToken)
    {
        var running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, running);
        FunctionOutcome outcome;
        try
        {
            outcome = await account.InvokeAsync(invocation, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
        var calls = account.Proxy.TakeCalls(accessKeyId).ToList();
        foreach (var issued in calls.Select(c => c.IssuedAccessKeyId).OfType<string>().ToList())
            calls.AddRange(account.Proxy.TakeCalls(issued));
        return new WorkRun(body, outcome, calls);
    }

    private static void InterlockedMax(ref int location, int value)
    {
        for (var seen = Volatile.Read(ref location); value > seen; seen = Volatile.Read(ref location))
        {
            if (Interlocked.CompareExchange(ref location, value, seen) == seen)
                return;
        }
    }

    /// <summary>The event Lambda's SQS poller hands the function for one message of this queue.</summary>
    private string SqsEvent(Message message) => new JsonObject
    {
        ["Records"] = new JsonArray(new JsonObject
        {
            ["messageId"] = message.MessageId, ["receiptHandle"] = message.ReceiptHandle, ["body"] = message.Body,
            ["attributes"] = new JsonObject { ["ApproximateReceiveCount"] = "1" },
            ["eventSource"] = "aws:sqs", ["eventSourceARN"] = queueArn, ["awsRegion"] = BenchAccount.Region,
        }),
    }.ToJsonString();

    private static AmazonSQSClient Sqs(BenchAccount account) =>
        account.Clients.Sdk<AmazonSQSClient, AmazonSQSConfig>(BenchAccount.Region, (credentials, config) => new AmazonSQSClient(credentials, config));
}
