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

    [Fact]
    public async Task Proxy_ListsCallsPerSigningKey_SoConcurrentRunsTakeOnlyTheirOwn()
    {
        await using var proxy = await AwsProxy.StartAsync(moto.Endpoint, FaultPlan.None);
        var user = $"proxy-{Guid.NewGuid():N}"[..16];
        await moto.CreateUserAsync(user);
        var otherKey = await moto.CreateAccessKeyAsync(user);
        var retry = RetryBackoff.Default with { MaxAttempts = 1 };
        var mine = new AwsClients(moto.Credentials, new HttpClient(), retry, proxy.Endpoint).Iam(MotoServer.Region);
        var other = new AwsClients(otherKey, new HttpClient(), retry, proxy.Endpoint).Iam(MotoServer.Region);

        await mine.ListUsersAsync(CancellationToken.None);
        await Assert.ThrowsAsync<AwsServiceException>(() => other.ListUsersAsync(CancellationToken.None));

        var otherCalls = proxy.TakeCalls(otherKey.GetCredentials().AccessKey);
        Assert.Equal([(403, otherKey.GetCredentials().AccessKey)], otherCalls.Select(c => (c.StatusCode, c.AccessKeyId)));
        Assert.Equal([moto.Credentials.GetCredentials().AccessKey], proxy.TakeCalls().Select(c => c.AccessKeyId));
        await moto.DeleteUserAsync(user);
    }

    [Fact]
    public async Task Proxy_DenyingAnOperation_AnswersAccessDeniedWithoutReachingMoto()
    {
        await using var proxy = await AwsProxy.StartAsync(moto.Endpoint, FaultPlan.None with { DeniedOperations = new HashSet<string> { "DescribeLoadBalancers" } });
        var aws = new AwsClients(moto.Credentials, new HttpClient(), RetryBackoff.Default, proxy.Endpoint);

        var denied = await Assert.ThrowsAsync<AwsServiceException>(() => aws.Elbv2(MotoServer.Region).DescribeLoadBalancersAsync(CancellationToken.None));
        await aws.Iam(MotoServer.Region).ListUsersAsync(CancellationToken.None);

        Assert.Equal(("AccessDenied", 403), (denied.ErrorCode, denied.StatusCode));
        Assert.Equal([FaultKind.AccessDenied, null], proxy.TakeCalls().Select(c => c.Fault));
    }

    [Fact]
    public async Task Proxy_FailNext_FailsOnlyTheNextCallOfThatOperation()
    {
        await using var proxy = await AwsProxy.StartAsync(moto.Endpoint, FaultPlan.None);
        var iam = new AwsClients(moto.Credentials, new HttpClient(), RetryBackoff.Default with { MaxAttempts = 1 }, proxy.Endpoint).Iam(MotoServer.Region);
        proxy.FailNext("ListUsers", FaultKind.ServerError);

        await Assert.ThrowsAsync<AwsServiceException>(() => iam.ListUsersAsync(CancellationToken.None));
        await iam.ListUsersAsync(CancellationToken.None);

        Assert.Equal([(500, FaultKind.ServerError), (200, (FaultKind?)null)], proxy.TakeCalls().Select(c => (c.StatusCode, c.Fault)));
    }

    [Theory]
    [InlineData("GET", "/bucket?encryption", "s3", "s3:GetEncryptionConfiguration")]
    [InlineData("PUT", "/bucket?encryption=", "s3", "s3:PutEncryptionConfiguration")]
    [InlineData("GET", "/bucket?tagging", "s3", "s3:GetBucketTagging")]
    [InlineData("PUT", "/bucket?policy", "s3", "s3:PutBucketPolicy")]
    [InlineData("PUT", "/bucket", "s3", "s3:CreateBucket")]
    [InlineData("POST", "/?Action=DescribeSecurityGroupRules", "ec2", "ec2:DescribeSecurityGroupRules")]
    public void Operation_NamesTheIamActionAPolicyMustGrant(string method, string pathAndQuery, string service, string action)
    {
        var authorization = $"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261121/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0";

        var operation = AwsOperation.Classify(method, new Uri($"http://127.0.0.1:5000{pathAndQuery}"), authorization, null, null, []);

        Assert.Equal(action, operation.IamAction);
    }
}
