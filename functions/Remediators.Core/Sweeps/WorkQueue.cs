using Amazon.SQS;
using Amazon.SQS.Model;

namespace Remediators.Core.Sweeps;

/// <summary>Where a sweep's work messages go: the function's own work queue (sqs:SendMessage, granted under MemberTargetsOn only).</summary>
public interface IWorkQueue
{
    /// <summary>Sends every body; answers, per body in order, null when it was sent or the error that kept it back.</summary>
    Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<string> bodies, CancellationToken cancellationToken);
}

public sealed class SqsWorkQueue(IAmazonSQS sqs, string queueUrl) : IWorkQueue
{
    // SendMessageBatch takes at most 10 entries.
    private const int BatchSize = 10;

    public async Task<IReadOnlyList<string?>> SendAsync(IReadOnlyList<string> bodies, CancellationToken cancellationToken)
    {
        var errors = new string?[bodies.Count];
        for (var start = 0; start < bodies.Count; start += BatchSize)
        {
            var entries = bodies.Skip(start).Take(BatchSize)
                .Select((body, i) => new SendMessageBatchRequestEntry { Id = (start + i).ToString(System.Globalization.CultureInfo.InvariantCulture), MessageBody = body })
                .ToList();
            try
            {
                var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = queueUrl, Entries = entries }, cancellationToken);
                foreach (var failed in response.Failed ?? [])
                    errors[int.Parse(failed.Id, System.Globalization.CultureInfo.InvariantCulture)] = $"{failed.Code}: {failed.Message}";
            }
            catch (AmazonSQSException error)
            {
                foreach (var entry in entries)
                    errors[int.Parse(entry.Id, System.Globalization.CultureInfo.InvariantCulture)] = $"{error.ErrorCode}: {error.Message}";
            }
        }
        return errors;
    }
}
