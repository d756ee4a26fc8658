using System.Collections.Concurrent;
using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Blocklist;

/// <summary>Writers that share nothing but the blocklist table, as separate Lambda instances do, writing one set in moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class IpSetWriterTests(MotoServer moto)
{
    [Fact]
    public async Task WriteAsync_ConcurrentWritersOfOneSet_WriteAtLeastOneSecondApartAndLoseNothing()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var set = new IpSetTarget(blocklist.Ipv4SetArn, IsIpv6: false);
        var updates = new ConcurrentQueue<DateTimeOffset>();
        var attackers = Enumerable.Range(1, 5).Select(i => $"198.51.100.{i}/32").ToList();

        await Task.WhenAll(attackers.Select(cidr =>
        {
            var writer = new IpSetWriter(_ => new TimedUpdates(moto.Clients.Wafv2(MotoServer.Region), updates),
                new BlocklistTable(moto.DynamoDb(), blocklist.Table), TimeProvider.System, IpSetWriter.DefaultBackoff);
            return writer.WriteAsync(set, (current, _) => Task.FromResult(IpSetPlanner.Add(current, [new IpSetAddition(cidr, DateTimeOffset.UtcNow)], new Dictionary<string, DateTimeOffset>())),
                dryRun: false, CancellationToken.None);
        }));

        var times = updates.Order().ToList();
        Assert.Equal(attackers, await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Equal(attackers.Count, times.Count);
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(1), $"{pair.First:O} then {pair.Second:O}"));
    }

    // Found by the burst benchmark with five blockers at once: a write sent long after its slot (its re-read was slow) landed
    // within a second of the next slot's write, and WAF refused one of the two.
    [Fact]
    public async Task WriteAsync_WhenTheReadAtItsSlotIsSlow_WritesAtALaterSlotInsteadOfLate()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var table = new BlocklistTable(moto.DynamoDb(), blocklist.Table);
        var updates = new ConcurrentQueue<DateTimeOffset>();
        var othersSlot = await table.ClaimWriteSlotAsync(blocklist.Ipv4SetArn, TimeProvider.System, IpSetWriter.WriteInterval, CancellationToken.None);
        var client = new SlowSecondRead(new TimedUpdates(moto.Clients.Wafv2(MotoServer.Region), updates), IpSetWriter.LateWriteTolerance * 2);
        var writer = new IpSetWriter(_ => client, table, TimeProvider.System, IpSetWriter.DefaultBackoff);

        var result = await writer.WriteAsync(new IpSetTarget(blocklist.Ipv4SetArn, IsIpv6: false),
            (current, _) => Task.FromResult(IpSetPlanner.Add(current, [new IpSetAddition("198.51.100.7/32", DateTimeOffset.UtcNow)], new Dictionary<string, DateTimeOffset>())),
            dryRun: false, CancellationToken.None);

        Assert.True(result.Written);
        Assert.Equal(2, result.Attempts);
        var sent = Assert.Single(updates);
        Assert.True(sent - othersSlot >= 2 * IpSetWriter.WriteInterval - TimeSpan.FromMilliseconds(20), $"sent {(sent - othersSlot).TotalMilliseconds} ms after the other writer's slot");
    }

    [Fact]
    public async Task WriteAsync_WhenWafAnswersLimitsExceeded_RetriesAndWrites()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var writer = new IpSetWriter(_ => new RefusesFirstUpdate(moto.Clients.Wafv2(MotoServer.Region)),
            new BlocklistTable(moto.DynamoDb(), blocklist.Table), TimeProvider.System, IpSetWriter.DefaultBackoff);

        var result = await writer.WriteAsync(new IpSetTarget(blocklist.Ipv4SetArn, IsIpv6: false),
            (current, _) => Task.FromResult(IpSetPlanner.Add(current, [new IpSetAddition("198.51.100.9/32", DateTimeOffset.UtcNow)], new Dictionary<string, DateTimeOffset>())),
            dryRun: false, CancellationToken.None);

        Assert.True(result.Written);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(["198.51.100.9/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
    }

    /// <summary>The real client, except that its first update is refused as WAF refuses writes past its rate.</summary>
    private sealed class RefusesFirstUpdate(Wafv2Client inner) : IIpSetClient
    {
        private bool _refused;

        public Task<GetIpSetResponse> GetIpSetAsync(IpSetReference set, CancellationToken cancellationToken) => inner.GetIpSetAsync(set, cancellationToken);

        public Task<UpdateIpSetResponse> UpdateIpSetAsync(
            IpSetReference set, IReadOnlyList<string> addresses, string lockToken, CancellationToken cancellationToken, string? description = null)
        {
            if (_refused)
                return inner.UpdateIpSetAsync(set, addresses, lockToken, cancellationToken, description);
            _refused = true;
            throw new AwsServiceException("wafv2", "UpdateIPSet", 400, "WAFLimitsExceededException", "too many writes");
        }
    }

    /// <summary>A client whose second read (the re-read at the writer's first slot) answers <paramref name="delay"/> late.</summary>
    private sealed class SlowSecondRead(IIpSetClient inner, TimeSpan delay) : IIpSetClient
    {
        private int _reads;

        public async Task<GetIpSetResponse> GetIpSetAsync(IpSetReference set, CancellationToken cancellationToken)
        {
            var answer = await inner.GetIpSetAsync(set, cancellationToken);
            if (Interlocked.Increment(ref _reads) == 2)
                await Task.Delay(delay, cancellationToken);
            return answer;
        }

        public Task<UpdateIpSetResponse> UpdateIpSetAsync(
            IpSetReference set, IReadOnlyList<string> addresses, string lockToken, CancellationToken cancellationToken, string? description = null) =>
            inner.UpdateIpSetAsync(set, addresses, lockToken, cancellationToken, description);
    }

    /// <summary>The real client, noting when each update is sent.</summary>
    private sealed class TimedUpdates(Wafv2Client inner, ConcurrentQueue<DateTimeOffset> sent) : IIpSetClient
    {
        public Task<GetIpSetResponse> GetIpSetAsync(IpSetReference set, CancellationToken cancellationToken) => inner.GetIpSetAsync(set, cancellationToken);

        public Task<UpdateIpSetResponse> UpdateIpSetAsync(
            IpSetReference set, IReadOnlyList<string> addresses, string lockToken, CancellationToken cancellationToken, string? description = null)
        {
            sent.Enqueue(DateTimeOffset.UtcNow);
            return inner.UpdateIpSetAsync(set, addresses, lockToken, cancellationToken, description);
        }
    }
}
