using Remediators.Bench.Proxy;
using Remediators.Core.Aws;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Resilience;

/// <summary>The benchmark proxy forwards signed calls intact, counts them by operation, and injects the faults it is told to.</summary>
[Collection(MotoCollection.Name)]
public sealed class AwsProxyTests(MotoServer moto)
{
    [Fact]
    public async Task Proxy_ForwardsSignedCallsAndCountsThemByOperation()
    {
        await using var proxy = await AwsProxy.StartAsync(moto.Endpoint, FaultPlan.None);
        var aws = new AwsClients(moto.Credentials, new HttpClient(), RetryBackoff.Default, proxy.Endpoint);

        await aws.Iam(MotoServer.Region).ListUsersAsync(CancellationToken.None);
        await aws.Elbv2(MotoServer.Region).DescribeLoadBalancersAsync(CancellationToken.None);

        var calls = proxy.TakeCalls();
        Assert.Equal(["iam:ListUsers", "elasticloadbalancing:DescribeLoadBalancers"], calls.Select(c => c.Operation.ToString()));
        Assert.All(calls, call => Assert.Equal(200, call.StatusCode));
    }

    [Fact]
    public async Task Proxy_WithEveryCallFailing_MakesTheClientRetryThenThrow()
    {
        await using var proxy = await AwsProxy.StartAsync(moto.Endpoint, new FaultPlan(1.0, Seed: 7, EnforceWafWriteQuota: false));
        var retry = RetryBackoff.Default with { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) };
        var aws = new AwsClients(moto.Credentials, new HttpClient(), retry, proxy.Endpoint);

        var e = await Assert.ThrowsAnyAsync<Exception>(() => aws.Iam(MotoServer.Region).ListUsersAsync(CancellationToken.None));

        Assert.True(3 == proxy.TakeCalls().Count(c => c.Fault is not null), e.ToString());
    }

    [Fact]
    public async Task Proxy_EnforcingTheWafQuota_RefusesASecondWriteToOneSetWithinASecond()
    {
        await using var proxy = await AwsProxy.StartAsync(moto.Endpoint, FaultPlan.WafQuotaOnly);
        var waf = new AwsClients(moto.Credentials, new HttpClient(), RetryBackoff.Default with { MaxAttempts = 1 }, proxy.Endpoint).Wafv2(MotoServer.Region);
        var set = await waf.CreateIpSetAsync($"proxy-{Guid.NewGuid():N}"[..20], "REGIONAL", "IPV4", CancellationToken.None);
        await Task.Delay(FaultPlan.WafWriteInterval);

        var token = (await waf.GetIpSetAsync(set, CancellationToken.None)).LockToken;
        var next = (await waf.UpdateIpSetAsync(set, ["203.0.113.7/32"], token, CancellationToken.None)).NextLockToken;
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => waf.UpdateIpSetAsync(set, ["203.0.113.8/32"], next, CancellationToken.None));

        Assert.Equal("WAFLimitsExceededException", refused.ErrorCode);
        Assert.Equal(["203.0.113.7/32"], (await waf.GetIpSetAsync(set, CancellationToken.None)).IPSet.Addresses);
    }
}
