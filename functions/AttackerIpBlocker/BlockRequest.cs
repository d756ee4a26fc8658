using Remediators.Core.Events;

namespace AttackerIpBlocker;

/// <summary>A GuardDuty finding as it arrived: the SQS message (or invocation) that carried it, and its EventBridge envelope.</summary>
public sealed record ReceivedFinding(string MessageId, EventBridgeEvent Envelope, GuardDutyFinding Finding);

/// <summary>A message that carried no usable finding, with the reason; it changes nothing and does not fail the batch.</summary>
public sealed record RejectedMessage(string MessageId, string Reason);

/// <summary>
/// The Parse step's result: the findings of an SQS batch (each body one EventBridge event, as the findings queue delivers
/// them) or of a single EventBridge event (<c>sam local invoke</c>, the local runner), and the messages refused.
/// </summary>
public sealed record BlockRequest(IReadOnlyList<ReceivedFinding> Findings, IReadOnlyList<RejectedMessage> Rejected, bool IsBatch)
{
    public static BlockRequest From(ReadOnlySpan<byte> payload, string requestId)
    {
        if (!EventParser.TryParseSqsBatch(payload, out var messages, out var rejection))
        {
            var single = Parse(requestId, EventParser.Parse(payload));
            return single.Finding is { } finding ? new([finding], [], false) : new([], [single.Rejected!], false);
        }
        if (rejection is not null)
            return new([], [new RejectedMessage(requestId, rejection)], true);

        var parsed = messages.Select(m => Parse(m.MessageId, EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(m.Body)))).ToList();
        return new([.. parsed.Select(p => p.Finding).OfType<ReceivedFinding>()], [.. parsed.Select(p => p.Rejected).OfType<RejectedMessage>()], true);
    }

    private static (ReceivedFinding? Finding, RejectedMessage? Rejected) Parse(string messageId, ParseResult result) => result.Trigger switch
    {
        GuardDutyFindingEvent e => (new ReceivedFinding(messageId, e.Envelope, e.Finding), null),
        null => (null, new RejectedMessage(messageId, result.Rejection!)),
        var other => (null, new RejectedMessage(messageId, $"{other.Envelope.DetailType} events are not handled by this function")),
    };
}
