using System.Text;
using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace Remediators.Core.Sweeps;

/// <summary>
/// A function's schedule under member targets: the schedule firing dispatches one work message per allowed target to the
/// function's own work queue, and each work message, taken from that queue only, runs the function for its one target, so
/// each target has its own invocation, outcome and retry. Every other event passes through untouched.
/// </summary>
public sealed class SweepFanOut(IRemediation function, SweepSettings settings, TargetSettings targets, TargetKind kind,
    IWorkQueue queue, IOrganizationAccounts? organization) : IRemediation
{
    /// <summary>
    /// Granted by template.yaml only under these conditions: Lambda taking work messages from the work queue with the
    /// function's role, and listing the organization's accounts. sqs:SendMessage, which every function holds for its
    /// outcomes, is granted on the work queue under MemberTargetsOn too (a template test checks that resource).
    /// </summary>
    public static readonly FeatureActions[] FeatureIamActions =
    [
        new("MemberTargetsOn", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]),
        new("OrganizationTargetsOn", ["organizations:ListAccounts"]),
    ];

    public string FunctionName => function.FunctionName;

    public bool DryRun => function.DryRun;

    /// <summary>The function itself when its environment names no work queue (the single-account default); else the function behind a fan-out.</summary>
    public static IRemediation Around(IRemediation function, EnvironmentSettings env, AwsClients aws, TargetKind kind)
    {
        if (SweepSettings.FromEnvironment(env) is not { } settings)
            return function;
        var region = env.Optional("AWS_REGION") ?? "us-east-1";
        var targets = TargetSettings.FromEnvironment(env);
        var sqs = aws.Sdk<Amazon.SQS.AmazonSQSClient, Amazon.SQS.AmazonSQSConfig>(region, (credentials, config) => new Amazon.SQS.AmazonSQSClient(credentials, config));
        var organization = targets.WholeOrganization ? new OrganizationAccounts(aws.Organizations(region)) : null;
        return new SweepFanOut(function, settings, targets, kind, new SqsWorkQueue(sqs, settings.QueueUrl), organization);
    }

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        if (EventParser.TryParseSqsBatch(payload.Span, out var messages, out var rejection))
            return await WorkAsync(messages, rejection, payload, context, cancellationToken);
        if (EventParser.Parse(payload.Span).Trigger is ScheduledSweep schedule)
            return await DispatchAsync(schedule.Envelope, context, cancellationToken);
        return await function.RunAsync(payload, context, cancellationToken);
    }

    private async Task<Outcome> WorkAsync(SqsMessage[] messages, string? rejection, ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        if (rejection is not null)
            return Outcome.Rejected(FunctionName, context.RequestId, rejection, DryRun);
        if (messages is not [var message])
            return Outcome.Rejected(FunctionName, context.RequestId, $"an SQS event with {messages.Length} messages; the work queue delivers one target per invocation", DryRun);
        if (message.EventSourceArn != settings.QueueArn)
            return Outcome.Rejected(FunctionName, message.MessageId,
                $"an SQS message from {message.EventSourceArn ?? "no queue"}; this function takes work only from its work queue {settings.QueueArn}", DryRun);
        var body = Encoding.UTF8.GetBytes(message.Body);
        var parsed = EventParser.Parse(body);
        if (parsed.Trigger is not ScheduledSweep work)
            return Outcome.Rejected(FunctionName, message.MessageId, $"a work message that is not a scheduled sweep: {parsed.Rejection ?? parsed.Trigger!.Envelope.DetailType}", DryRun);
        if (FunctionScope.Of(context) is not { } home)
            return Outcome.Rejected(FunctionName, work.Envelope.Id, FunctionScope.UnknownScopeReason, DryRun);
        if (new TargetScope(home, targets).EnvelopeRefusal(work.Envelope, kind) is { } refusal)
            return Outcome.Rejected(FunctionName, work.Envelope.Id, refusal, DryRun);
        return await function.RunAsync(body, context, cancellationToken);
    }

    private async Task<Outcome> DispatchAsync(EventBridgeEvent schedule, InvocationContext context, CancellationToken cancellationToken)
    {
        if (FunctionScope.Of(context) is not { } home)
            return Outcome.Rejected(FunctionName, schedule.Id, FunctionScope.UnknownScopeReason, DryRun);
        // The schedule fires in the hub: one naming another account or region is forged or misrouted.
        if (home.EnvelopeRefusal(schedule) is { } refusal)
            return Outcome.Rejected(FunctionName, schedule.Id, refusal, DryRun);

        var members = organization is null ? [] : await organization.ListActiveAsync(cancellationToken);
        var sweep = SweepTargets.For(new Target(home.Account, home.Region), targets, members, kind);
        var errors = await queue.SendAsync([.. sweep.Select(t => WorkMessage.For(schedule, t))], cancellationToken);
        var results = sweep.Select((t, i) => errors[i] is { } error
                ? new ResourceResult(Name(t), OutcomeStatus.Failed, $"the work message was not sent: {error}", []) { Error = error.Split(':')[0] }
                : ResourceResult.NoChange(Name(t), OutcomeStatus.Remediated, "work message sent to the work queue"))
            .ToList();
        var failed = results.Count(r => r.Status == OutcomeStatus.Failed);
        return new Outcome(FunctionName, schedule.Id, home.Account, home.Region, Outcome.Summarize(results),
            $"sweep dispatched to {results.Count - failed} of {results.Count} target(s)", DryRun, results,
            new Dictionary<string, long> { ["TargetsDispatched"] = results.Count - failed, ["TargetsNotDispatched"] = failed }, 0);
    }

    private string Name(Target target) => kind == TargetKind.AccountOnly ? target.Account : $"{target.Account}/{target.Region}";
}
