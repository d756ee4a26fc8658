using System.Text;
using System.Text.Json;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Sweeps;
using Remediators.Core.Targets;

namespace Remediators.Tests.Core.Sweeps;

/// <summary>
/// What the fan-out lets through to the function and what it dispatches. The queue here only records (or refuses to be
/// called); sending on real SQS is tested on moto through the built function.
/// </summary>
public sealed class SweepFanOutTests
{
    private const string Hub = "123456789012";
    private const string Member = "222222222222";
    private const string QueueArn = "arn:aws:sqs:us-east-1:123456789012:remediators-PublicIngressRevokerWork";
    private static readonly SweepSettings Queue = new("https://sqs.us-east-1.amazonaws.com/123456789012/remediators-PublicIngressRevokerWork", QueueArn);
    private static readonly TargetSettings Targets = new() { Accounts = new HashSet<string> { Member }, Regions = new HashSet<string> { "eu-west-1" } };
    private static readonly InvocationContext Context = new("request-1", DateTimeOffset.MaxValue, $"arn:aws:lambda:us-east-1:{Hub}:function:remediators-PublicIngressRevoker", null);

    private static string Schedule => File.ReadAllText(Path.Combine(RepoPaths.Events, "public-ingress-revoker", "scheduled-sweep.json"));

    private static byte[] SqsEvent(string body, string? sourceArn = QueueArn) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        Records = new[] { new { messageId = "m-1", body, eventSource = "aws:sqs", eventSourceARN = sourceArn } },
    });

    [Fact]
    public async Task Schedule_DispatchesOneWorkMessagePerTarget_AndRunsNothingItself()
    {
        var (fanOut, function, queue) = Make();

        var outcome = await fanOut.RunAsync(Encoding.UTF8.GetBytes(Schedule), Context, CancellationToken.None);

        Assert.Empty(function.Payloads);
        Assert.Equal(OutcomeStatus.Remediated, outcome.Status);
        var sent = queue.Bodies.Select(b => EventParser.Parse(Encoding.UTF8.GetBytes(b)).Trigger!.Envelope).Select(e => (e.Account, e.Region)).ToList();
        Assert.Equal([(Hub, "us-east-1"), (Hub, "eu-west-1"), (Member, "us-east-1"), (Member, "eu-west-1")], sent);
        Assert.Equal(4, outcome.Counts["TargetsDispatched"]);
    }

    [Fact]
    public async Task WorkMessage_FromItsOwnQueue_RunsTheFunctionOnTheTargetsScheduledEvent()
    {
        var (fanOut, function, queue) = Make();
        var work = WorkMessage.For(EventParser.Parse(Encoding.UTF8.GetBytes(Schedule)).Trigger!.Envelope, new Target(Member, "eu-west-1"));

        await fanOut.RunAsync(SqsEvent(work), Context, CancellationToken.None);

        var envelope = EventParser.Parse(Assert.Single(function.Payloads)).Trigger!.Envelope;
        Assert.Equal((Member, "eu-west-1", "Scheduled Event"), (envelope.Account, envelope.Region, envelope.DetailType));
        Assert.Empty(queue.Bodies);
    }

    [Theory]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:someone-elses-queue")]
    [InlineData("arn:aws:sqs:us-east-1:999999999999:remediators-PublicIngressRevokerWork")]
    [InlineData(null)]
    public async Task WorkMessage_FromAnotherQueue_IsRefusedBeforeAnyCall(string? sourceArn)
    {
        var (fanOut, function, queue) = Make();
        var work = WorkMessage.For(EventParser.Parse(Encoding.UTF8.GetBytes(Schedule)).Trigger!.Envelope, new Target(Member, "us-east-1"));

        var outcome = await fanOut.RunAsync(SqsEvent(work, sourceArn), Context, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Contains("takes work only from its work queue", outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(function.Payloads);
        Assert.Empty(queue.Bodies);
    }

    [Theory]
    [InlineData("999999999999", "us-east-1", "names account 999999999999")]
    [InlineData(Member, "ap-south-1", "names region ap-south-1")]
    public async Task WorkMessage_NamingATargetNotAllowed_IsRefused(string account, string region, string expected)
    {
        var (fanOut, function, _) = Make();
        var work = WorkMessage.For(EventParser.Parse(Encoding.UTF8.GetBytes(Schedule)).Trigger!.Envelope, new Target(account, region));

        var outcome = await fanOut.RunAsync(SqsEvent(work), Context, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Contains(expected, outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(function.Payloads);
    }

    [Fact]
    public async Task WorkMessage_ThatIsNotASchedule_IsRefused()
    {
        var (fanOut, function, _) = Make();
        var finding = File.ReadAllText(Path.Combine(RepoPaths.Events, "public-ingress-revoker", "authorize-security-group-ingress.json"));

        var outcome = await fanOut.RunAsync(SqsEvent(finding), Context, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Empty(function.Payloads);
    }

    [Fact]
    public async Task Schedule_NamingAnotherAccount_IsRefusedAndDispatchesNothing()
    {
        var (fanOut, _, queue) = Make();

        var outcome = await fanOut.RunAsync(Encoding.UTF8.GetBytes(Schedule.Replace($"\"account\": \"{Hub}\"", $"\"account\": \"{Member}\"", StringComparison.Ordinal)), Context, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Empty(queue.Bodies);
    }

    [Fact]
    public async Task OtherEvents_PassThroughUntouched()
    {
        var (fanOut, function, queue) = Make();
        var call = Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(RepoPaths.Events, "public-ingress-revoker", "authorize-security-group-ingress.json")));

        await fanOut.RunAsync(call, Context, CancellationToken.None);

        Assert.Equal(call, Assert.Single(function.Payloads));
        Assert.Empty(queue.Bodies);
    }

    [Fact]
    public async Task UnsentWorkMessage_IsThatTargetsFailedResult_TheOthersStandSent()
    {
        var (fanOut, _, queue) = Make();
        queue.FailAt = 2;

        var outcome = await fanOut.RunAsync(Encoding.UTF8.GetBytes(Schedule), Context, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Failed, outcome.Status);
        Assert.Equal([OutcomeStatus.Remediated, OutcomeStatus.Remediated, OutcomeStatus.Failed, OutcomeStatus.Remediated], outcome.Resources.Select(r => r.Status));
        Assert.Equal($"{Member}/us-east-1", outcome.Resources[2].ResourceId);
    }

    [Fact]
    public void WithoutAWorkQueue_TheFunctionIsUsedAsItIs()
    {
        var function = new RecordingFunction();

        var used = SweepFanOut.Around(function, new EnvironmentSettings(_ => null), null!, TargetKind.Regional);

        Assert.Same(function, used);
    }

    private static (SweepFanOut, RecordingFunction, RecordingQueue) Make()
    {
        var function = new RecordingFunction();
        var queue = new RecordingQueue();
        return (new SweepFanOut(function, Queue, Targets, TargetKind.Regional, queue, null), function, queue);
    }

    private sealed class RecordingFunction : IRemediation
    {
        public List<byte[]> Payloads { get; } = [];
        public string FunctionName => "PublicIngressRevoker";
        public bool DryRun => false;

        public Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
        {
            Payloads.Add(payload.ToArray());
            return Task.FromResult(Outcome.Rejected(FunctionName, "e", "recorded", false) with { Status = OutcomeStatus.AlreadyCompliant });
        }
    }

    private sealed class RecordingQueue : IWorkQueue
    {
        public List<string> Bodies { get; } = [];
        public int FailAt { get; set; } = -1;

        public Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<string> bodies, CancellationToken cancellationToken)
        {
            Bodies.AddRange(bodies);
            return Task.FromResult<IReadOnlyList<string?>>([.. bodies.Select((_, i) => i == FailAt ? "InternalError: injected" : null)]);
        }
    }
}
