using System.Collections.Concurrent;

namespace Remediators.Core.Blocklist;

/// <summary>A step that failed for one address: what was under way, and the error.</summary>
public sealed record StepFailure(string Doing, Exception Error);

/// <summary>
/// The first failed step of each address in a run: a step that throws fails only the addresses it was for, and the run goes on
/// with the others, so one address (one set, one ACL) that keeps failing cannot keep the rest from being done.
/// </summary>
public sealed class StepFailures
{
    private readonly ConcurrentDictionary<string, StepFailure> _byCidr = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, StepFailure> ByCidr => _byCidr;

    public bool HasFailed(string cidr) => _byCidr.ContainsKey(cidr);

    /// <summary>Runs <paramref name="step"/>; if it throws, each of <paramref name="cidrs"/> not failed yet fails with it.</summary>
    public async Task RunAsync(IEnumerable<string> cidrs, string doing, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Fail(cidrs, doing, error is NaclChangeFailedException nacl ? nacl.InnerException! : error);
        }
    }

    public void Fail(IEnumerable<string> cidrs, string doing, Exception error)
    {
        foreach (var cidr in cidrs)
            _byCidr.TryAdd(cidr, new StepFailure(doing, error));
    }
}
