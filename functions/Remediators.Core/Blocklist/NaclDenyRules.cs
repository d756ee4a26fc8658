using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.Core.Aws;
using Remediators.Core.Targets;

namespace Remediators.Core.Blocklist;

/// <summary>What was done (or, in a dry run, planned) in one ACL.</summary>
public sealed record NaclChangeResult(string NetworkAclId, IReadOnlyList<NaclStep> Steps)
{
    /// <summary>The ACL's account and region when they are not the function's own (then its undo is run there).</summary>
    public Target? Elsewhere { get; init; }

    public AclLocation Acl => new(NetworkAclId, Elsewhere);
}

/// <summary>A change to one ACL that failed midway, with the steps that were done before the error (they stand, and are ours).</summary>
public sealed class NaclChangeFailedException(NaclChangeResult done, Exception error)
    : Exception($"changing network ACL {done.NetworkAclId} failed after {done.Steps.Count} step(s): {error.Message}", error)
{
    public NaclChangeResult Done { get; } = done;
}

/// <summary>
/// Adds and removes our inbound deny entries in network ACLs. Every change to an ACL happens under that ACL's lease in the
/// blocklist table, re-reading the ACL inside it, so concurrent runs can neither pick the same rule number nor add a second
/// entry for one address; the entries we own are saved in the same record when the lease is given back. No change starts
/// with less than <see cref="LeaseReserve"/> of the lease left, so none can land after another run took the ACL over.
/// </summary>
/// <param name="ec2">EC2 in the ACLs' account and region.</param>
/// <param name="elsewhere">That account and region when they are not the function's own: its ACLs' records say so.</param>
public sealed class NaclDenyRules(
    IAmazonEC2 ec2, BlocklistTable table, NaclRuleRange range, TimeProvider wallClock, RetryBackoff leaseBackoff, Target? elsewhere = null)
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>Room for one EC2 call with the SDK's retries, and for giving the lease back.</summary>
    public static readonly TimeSpan LeaseReserve = TimeSpan.FromSeconds(15);

    public static readonly RetryBackoff DefaultLeaseBackoff = new(15, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3), TimeProvider.System);

    private readonly string _owner = Guid.NewGuid().ToString("N");

    /// <summary>EC2 takes at most this many values in one filter.</summary>
    public const int MaxFilterValues = 200;

    /// <summary>The ACL of each subnet; subnets that no longer exist are absent. One lookup per <see cref="MaxFilterValues"/> subnets.</summary>
    public async Task<IReadOnlyDictionary<string, string>> FindAclsAsync(IReadOnlyCollection<string> subnetIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in FilterChunks(subnetIds))
        {
            string? next = null;
            do
            {
                var page = await ec2.DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest
                {
                    Filters = [new Filter("association.subnet-id", [.. chunk])], NextToken = next,
                }, cancellationToken);
                foreach (var (subnet, acl) in (page.NetworkAcls ?? []).SelectMany(acl => (acl.Associations ?? []).Select(a => (a.SubnetId, acl.NetworkAclId))))
                {
                    if (chunk.Contains(subnet))
                        found[subnet] = acl;
                }
                next = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            }
            while (next is not null);
        }
        return found;
    }

    /// <summary>The distinct values in chunks EC2 accepts in one filter.</summary>
    public static IReadOnlyList<string[]> FilterChunks(IEnumerable<string> values) =>
        [.. values.Distinct(StringComparer.Ordinal).Chunk(MaxFilterValues)];

    /// <summary>Denies each CIDR inbound in the ACL: a free number in the range, else the number of our oldest entry.</summary>
    public Task<NaclChangeResult> DenyAsync(string networkAclId, IReadOnlyList<string> cidrs, bool dryRun, CancellationToken cancellationToken) =>
        ChangeAsync(networkAclId, dryRun, async (entries, owned, done, ensureLeaseHeld) =>
        {
            var planned = NaclDenyPlanner.PlanDenials(entries, owned, cidrs, range);
            foreach (var step in planned)
            {
                ensureLeaseHeld();
                done.Add(dryRun ? step : await ApplyAsync(networkAclId, step, entries, owned, [.. planned, .. done], cancellationToken));
            }
        }, cancellationToken);

    /// <summary>Deletes our entries for the expired CIDRs; entries changed by others since are left in place and forgotten.</summary>
    public Task<NaclChangeResult> RemoveAsync(string networkAclId, IReadOnlySet<string> expiredCidrs, bool dryRun, CancellationToken cancellationToken) =>
        ChangeAsync(networkAclId, dryRun, async (entries, owned, done, ensureLeaseHeld) =>
        {
            foreach (var deletion in NaclDenyPlanner.PlanRemovals(entries, owned, expiredCidrs, range))
            {
                ensureLeaseHeld();
                if (!dryRun)
                    await ec2.DeleteNetworkAclEntryAsync(new DeleteNetworkAclEntryRequest
                    {
                        NetworkAclId = networkAclId, RuleNumber = deletion.Rule.RuleNumber, Egress = false,
                    }, cancellationToken);
                done.Add(deletion);
            }
        }, cancellationToken);

    /// <param name="change">
    /// Plans from the ACL's entries and our recorded ones, calls its last argument before each change, and adds each step to
    /// the list once it is done.
    /// </param>
    private async Task<NaclChangeResult> ChangeAsync(
        string networkAclId, bool dryRun, Func<IReadOnlyList<NaclEntry>, IReadOnlyList<OwnedNaclRule>, List<NaclStep>, Action, Task> change,
        CancellationToken cancellationToken)
    {
        var steps = new List<NaclStep>();
        if (dryRun)
        {
            var recorded = await table.ReadNaclRulesAsync(Location(networkAclId), cancellationToken);
            await change(await ReadEntriesAsync(networkAclId, cancellationToken), recorded, steps, () => { });
            return Result(networkAclId, steps);
        }

        var (owned, leasedUntil) = await LeaseAsync(networkAclId, cancellationToken);
        var stillOurs = owned.ToList();
        try
        {
            var entries = await ReadEntriesAsync(networkAclId, cancellationToken);
            stillOurs = [.. NaclDenyPlanner.StillOurs(entries, owned, range)];
            await change(entries, stillOurs, steps, () =>
            {
                if (leasedUntil - wallClock.GetUtcNow() < LeaseReserve)
                    throw new TimeoutException($"the lease on {Location(networkAclId)} is about to run out with {steps.Count} change(s) made; Lambda retries the rest");
            });
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw new NaclChangeFailedException(Result(networkAclId, [.. steps]), error);
        }
        finally
        {
            // Saved even when a call failed midway, so every entry made before the failure stays ours.
            await table.ReleaseNaclAsync(Location(networkAclId), _owner, Owned(networkAclId, stillOurs, steps), CancellationToken.None);
        }
        return Result(networkAclId, steps);
    }

    private AclLocation Location(string networkAclId) => new(networkAclId, elsewhere);

    private NaclChangeResult Result(string networkAclId, List<NaclStep> steps) => new(networkAclId, steps) { Elsewhere = elsewhere };

    private List<OwnedNaclRule> Owned(string networkAclId, List<OwnedNaclRule> before, List<NaclStep> steps)
    {
        var now = wallClock.GetUtcNow();
        var gone = steps.Select(s => s switch { NaclStep.Replace r => r.Previous, NaclStep.Delete d => d.Rule, _ => null }).OfType<OwnedNaclRule>().ToHashSet();
        var added = steps.Select(s => s switch
        {
            NaclStep.Create c => new OwnedNaclRule(networkAclId, c.RuleNumber, c.Cidr, now) { Elsewhere = elsewhere },
            NaclStep.Replace r => new OwnedNaclRule(networkAclId, r.Previous.RuleNumber, r.Cidr, now) { Elsewhere = elsewhere },
            _ => null,
        }).OfType<OwnedNaclRule>();
        return [.. before.Where(r => !gone.Contains(r)).Concat(added)];
    }

    private async Task<(IReadOnlyList<OwnedNaclRule> Owned, DateTimeOffset Until)> LeaseAsync(string networkAclId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = wallClock.GetUtcNow();
            if (await table.TryLeaseNaclAsync(Location(networkAclId), _owner, now, LeaseDuration, cancellationToken) is { } owned)
                return (owned, now + LeaseDuration);
            if (attempt >= leaseBackoff.MaxAttempts)
                throw new TimeoutException($"another run held the lease on {Location(networkAclId)} through {attempt} attempts; Lambda retries this batch");
            await Task.Delay(leaseBackoff.DelayBefore(attempt + 1, Random.Shared.NextDouble()), wallClock, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<NaclEntry>> ReadEntriesAsync(string networkAclId, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest { NetworkAclIds = [networkAclId] }, cancellationToken);
        return [.. (response.NetworkAcls ?? []).SelectMany(acl => acl.Entries ?? []).Select(e => new NaclEntry(
            e.RuleNumber ?? 0, e.Egress ?? false, e.RuleAction == RuleAction.Deny, e.CidrBlock ?? e.Ipv6CidrBlock))];
    }

    private async Task<NaclStep> ApplyAsync(
        string networkAclId, NaclStep step, IReadOnlyList<NaclEntry> entries, IReadOnlyList<OwnedNaclRule> owned, IReadOnlyList<NaclStep> planned,
        CancellationToken cancellationToken)
    {
        switch (step)
        {
            case NaclStep.Create create:
                if (await TryCreateAsync(networkAclId, create, cancellationToken))
                    return create;
                // The ACL reached its entry quota: only one of our entries that no other step replaces can give its number.
                var taken = planned.OfType<NaclStep.Replace>().Select(r => r.Previous).ToHashSet();
                var fallback = NaclDenyPlanner.PlanDenials(entries, [.. owned.Where(r => !taken.Contains(r))], [create.Cidr], range, aclFull: true).Single();
                return fallback is NaclStep.Replace instead ? await ReplaceAsync(networkAclId, instead, cancellationToken) : fallback;
            case NaclStep.Replace replace:
                return await ReplaceAsync(networkAclId, replace, cancellationToken);
            default:
                return step;
        }
    }

    private async Task<bool> TryCreateAsync(string networkAclId, NaclStep.Create create, CancellationToken cancellationToken)
    {
        try
        {
            await ec2.CreateNetworkAclEntryAsync(new CreateNetworkAclEntryRequest
            {
                NetworkAclId = networkAclId, RuleNumber = create.RuleNumber, Protocol = "-1", RuleAction = RuleAction.Deny, Egress = false,
                CidrBlock = IsIpv6(create.Cidr) ? null : create.Cidr, Ipv6CidrBlock = IsIpv6(create.Cidr) ? create.Cidr : null,
            }, cancellationToken);
            return true;
        }
        catch (AmazonEC2Exception error) when (error.ErrorCode == "NetworkAclEntryLimitExceeded")
        {
            return false;
        }
        catch (AmazonEC2Exception error) when (error.ErrorCode == "NetworkAclEntryAlreadyExists")
        {
            // Our own call, replayed after its answer was lost, finds the entry it made: ours (we hold the ACL's lease).
            if (await HoldsDenyAsync(networkAclId, create, cancellationToken))
                return true;
            throw;
        }
    }

    private async Task<bool> HoldsDenyAsync(string networkAclId, NaclStep.Create create, CancellationToken cancellationToken) =>
        (await ReadEntriesAsync(networkAclId, cancellationToken)).Any(e =>
            !e.Egress && e.IsDeny && e.RuleNumber == create.RuleNumber && e.Cidr is { } cidr && IpSetPlanner.Canonical(cidr) == IpSetPlanner.Canonical(create.Cidr));

    private async Task<NaclStep> ReplaceAsync(string networkAclId, NaclStep.Replace replace, CancellationToken cancellationToken)
    {
        await ec2.ReplaceNetworkAclEntryAsync(new ReplaceNetworkAclEntryRequest
        {
            NetworkAclId = networkAclId, RuleNumber = replace.Previous.RuleNumber, Protocol = "-1", RuleAction = RuleAction.Deny, Egress = false,
            CidrBlock = IsIpv6(replace.Cidr) ? null : replace.Cidr, Ipv6CidrBlock = IsIpv6(replace.Cidr) ? replace.Cidr : null,
        }, cancellationToken);
        return replace;
    }

    private static bool IsIpv6(string cidr) => cidr.Contains(':', StringComparison.Ordinal);
}
