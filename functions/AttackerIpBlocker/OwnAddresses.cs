using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace AttackerIpBlocker;

/// <summary>The account's own public addresses in the function's region, each with what holds it: these are never blocked.</summary>
public sealed record OwnAddresses(IReadOnlyDictionary<string, string> HolderByAddress)
{
    public static readonly OwnAddresses None = new(new Dictionary<string, string>());

    /// <summary>What holds <paramref name="address"/> ("NAT gateway nat-…", "Elastic IP eipalloc-…"), or null when it is not ours.</summary>
    public string? HolderOf(IPAddress address) => HolderByAddress.GetValueOrDefault(address.ToString());

    /// <summary>Addresses as EC2 lists them; a later holder of the same address wins, so list the more telling holders last.</summary>
    public static OwnAddresses From(IEnumerable<(string? Address, string Holder)> held)
    {
        var byAddress = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (text, holder) in held)
        {
            if (IPAddress.TryParse(text, out var address))
                byAddress[address.ToString()] = holder;
        }
        return new OwnAddresses(byAddress);
    }
}

/// <summary>
/// Reads the account's Elastic IPs and NAT gateways' public addresses, and keeps them for <see cref="TimeToLive"/> in the
/// container: a new address is protected within that time, and a busy blocker costs two EC2 reads per period, not per batch.
/// </summary>
public sealed class OwnAddressLookup(IAmazonEC2 ec2, TimeProvider wallClock)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    public static readonly string[] IamActions = ["ec2:DescribeAddresses", "ec2:DescribeNatGateways"];

    private (OwnAddresses Addresses, DateTimeOffset Until)? _cached;

    public async Task<OwnAddresses> GetAsync(CancellationToken cancellationToken)
    {
        var now = wallClock.GetUtcNow();
        if (_cached is { } cached && now < cached.Until)
            return cached.Addresses;
        var held = new List<(string?, string)>();
        var elasticIps = await ec2.DescribeAddressesAsync(new DescribeAddressesRequest(), cancellationToken);
        held.AddRange((elasticIps.Addresses ?? []).Select(a => ((string?)a.PublicIp, $"Elastic IP {a.AllocationId ?? a.PublicIp}")));
        string? next = null;
        do
        {
            var page = await ec2.DescribeNatGatewaysAsync(new DescribeNatGatewaysRequest { NextToken = next }, cancellationToken);
            held.AddRange((page.NatGateways ?? []).SelectMany(n => (n.NatGatewayAddresses ?? []).Select(a => ((string?)a.PublicIp, $"NAT gateway {n.NatGatewayId}"))));
            next = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
        }
        while (next is not null);
        var addresses = OwnAddresses.From(held);
        _cached = (addresses, now + TimeToLive);
        return addresses;
    }
}
