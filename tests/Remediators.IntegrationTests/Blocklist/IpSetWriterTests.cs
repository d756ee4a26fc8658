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
