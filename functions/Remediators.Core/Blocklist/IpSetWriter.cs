using Remediators.Core.Aws;

namespace Remediators.Core.Blocklist;

/// <summary>One configured WAF IP set: its ARN (which holds name, scope, id and region) and the IP version it must hold.</summary>
public sealed record IpSetTarget(string Arn, bool IsIpv6)
{
    public IpSetReference Reference => IpSetReference.FromArn(Arn);

    public string Region => IpSetReference.RegionOf(Arn);

    public string Version => IsIpv6 ? "IPV6" : "IPV4";
}

/// <summary>What a read-modify-write of one set did: the edit decided on the last read, whether it was written, in how many attempts.</summary>
public sealed record IpSetWriteResult(IpSetTarget Set, IpSetEdit Edit, bool Written, int Attempts);

/// <summary>
/// Read-modify-write of a WAF IP set that loses no concurrent change and keeps WAF's write rate: UpdateIPSet replaces the
/// whole list and needs GetIPSet's lock token, so a write that raced another fails with WAFOptimisticLockException and is
/// redone from a fresh read. Every write first claims the set's next slot in the blocklist table and is sent within
/// <see cref="LateWriteTolerance"/> of it or not at all, so writes to one set are more than a second apart across all
/// processes; WAFLimitsExceededException is retried too.
/// </summary>
public sealed class IpSetWriter(Func<string, IIpSetClient> clientForRegion, BlocklistTable table, TimeProvider wallClock, RetryBackoff backoff)
{
    /// <summary>
    /// How late after its slot a write may still be sent. A write delayed longer (a slow claim or re-read) could land within
    /// a second of the next slot's write, so it claims another slot instead.
    /// </summary>
    public static readonly TimeSpan LateWriteTolerance = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// WAF allows about one write per second per set: slots this far apart keep writes sent within the tolerance at least
    /// 1.2 s apart, leaving 0.2 s for the network to deliver one faster than another.
    /// </summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(1500);

    public static readonly RetryBackoff DefaultBackoff = new(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeProvider.System);

    public static readonly string[] IamActions = ["wafv2:GetIPSet", "wafv2:UpdateIPSet"];

    /// <summary>Reads the set, asks <paramref name="edit"/> for its new list and, unless nothing changes or this is a dry run, writes it.</summary>
    /// <param name="edit">Decides from the set's current addresses; called again after every re-read, so it must be pure or idempotent.</param>
    /// <param name="beforeAdding">
    /// Called with the addresses a write is about to add, before its write slot is claimed (so it cannot make the write late);
    /// a write is sent only once every address it adds went through it.
    /// </param>
    public async Task<IpSetWriteResult> WriteAsync(
        IpSetTarget set, Func<IReadOnlyList<string>, CancellationToken, Task<IpSetEdit>> edit, bool dryRun, CancellationToken cancellationToken,
        Func<IReadOnlyList<string>, CancellationToken, Task>? beforeAdding = null)
    {
        var client = clientForRegion(set.Region);
        var announced = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var (current, change) = await ReadAndDecideAsync(client, set, edit, cancellationToken);
            if (!change.ChangesSet || dryRun)
                return new IpSetWriteResult(set, change, false, attempt);
            await AnnounceAsync(change, announced, beforeAdding, cancellationToken);

            var slot = await table.ClaimWriteSlotAsync(set.Arn, wallClock, WriteInterval, cancellationToken);
            var wait = slot - wallClock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                // Others wrote meanwhile: the token read before waiting is most likely stale, so read again at the slot.
                await Task.Delay(wait, wallClock, cancellationToken);
                (current, change) = await ReadAndDecideAsync(client, set, edit, cancellationToken);
                if (!change.ChangesSet)
                    return new IpSetWriteResult(set, change, false, attempt);
                if (change.Added.Any(a => !announced.Contains(a)))
                    continue;
            }
            if (wallClock.GetUtcNow() - slot > LateWriteTolerance)
            {
                if (attempt >= backoff.MaxAttempts)
                    throw new TimeoutException($"no write to IP set {set.Arn} could be sent within {LateWriteTolerance.TotalMilliseconds} ms of its slot in {attempt} attempts");
                continue;
            }

            try
            {
                await client.UpdateIpSetAsync(set.Reference, change.Addresses, current.LockToken, cancellationToken, current.IPSet.Description);
                return new IpSetWriteResult(set, change, true, attempt);
            }
            catch (AwsServiceException error) when (error.ErrorCode is "WAFOptimisticLockException" or "WAFLimitsExceededException" && attempt < backoff.MaxAttempts)
            {
                await Task.Delay(backoff.DelayBefore(attempt + 1, Random.Shared.NextDouble()), wallClock, cancellationToken);
            }
        }
    }

    private static async Task AnnounceAsync(
        IpSetEdit change, HashSet<string> announced, Func<IReadOnlyList<string>, CancellationToken, Task>? beforeAdding, CancellationToken cancellationToken)
    {
        var unannounced = change.Added.Where(a => !announced.Contains(a)).ToList();
        if (beforeAdding is not null && unannounced.Count > 0)
            await beforeAdding(unannounced, cancellationToken);
        announced.UnionWith(unannounced);
    }

    private static async Task<(GetIpSetResponse Current, IpSetEdit Change)> ReadAndDecideAsync(
        IIpSetClient client, IpSetTarget set, Func<IReadOnlyList<string>, CancellationToken, Task<IpSetEdit>> edit, CancellationToken cancellationToken)
    {
        var current = await client.GetIpSetAsync(set.Reference, cancellationToken);
        if (!string.Equals(current.IPSet.IPAddressVersion, set.Version, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"IP set {set.Arn} holds {current.IPSet.IPAddressVersion} addresses but is configured for {set.Version}");
        return (current, await edit(current.IPSet.Addresses ?? [], cancellationToken));
    }
}
