using Amazon.Runtime;
using Amazon.SQS.Model;
using Remediators.Core.Aws;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Aws;

[Collection(MotoCollection.Name)]
public sealed class SigV4ClientTests(MotoServer moto)
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Iam_WithTheSigningIdentity_ListsItsUser()
    {
        var users = await moto.Clients.Iam(MotoServer.Region).ListUsersAsync(CancellationToken.None);

        Assert.Contains(users, u => u.UserName == "remediators-tests" && u.Arn.EndsWith(":user/remediators-tests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Iam_WithAWrongSecret_FailsWithASignatureError()
    {
        var wrong = new AwsClients(WrongSecret(), Http, RetryBackoff.Default);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => wrong.Iam(MotoServer.Region).ListUsersAsync(CancellationToken.None));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Equal(403, error.StatusCode);
    }

    [Fact]
    public async Task Wafv2_WithAWrongSecret_FailsWithASignatureErrorParsedFromXml()
    {
        var wrong = new AwsClients(WrongSecret(), Http, RetryBackoff.Default);
        var set = new IpSetReference("missing", "REGIONAL", "00000000-0000-0000-0000-000000000000");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => wrong.Wafv2(MotoServer.Region).GetIpSetAsync(set, CancellationToken.None));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
    }

    [Fact]
    public async Task Wafv2_UpdateWithTheLockToken_ReplacesTheAddressesAndAStaleTokenIsRefused()
    {
        var waf = moto.Clients.Wafv2(MotoServer.Region);
        var set = await waf.CreateIpSetAsync($"sigv4-{Guid.NewGuid():N}", "REGIONAL", "IPV4", CancellationToken.None);
        var first = await waf.GetIpSetAsync(set, CancellationToken.None);

        await waf.UpdateIpSetAsync(set, ["198.51.100.7/32"], first.LockToken, CancellationToken.None);
        var stale = await Assert.ThrowsAsync<AwsServiceException>(
            () => waf.UpdateIpSetAsync(set, ["198.51.100.8/32"], first.LockToken, CancellationToken.None));

        Assert.Equal("WAFOptimisticLockException", stale.ErrorCode);
        Assert.Equal(["198.51.100.7/32"], (await waf.GetIpSetAsync(set, CancellationToken.None)).IPSet.Addresses);
    }

    [Fact]
    public async Task Elbv2_DescribeLoadBalancers_ListsAnApplicationLoadBalancerWithItsGroup()
    {
        var vpc = await moto.CreateVpcAsync("10.40.0.0/16");
        var group = await moto.CreateSecurityGroupAsync(vpc, "sigv4-alb");
        var arn = await moto.CreateApplicationLoadBalancerAsync(vpc, group, $"sigv4-{Random.Shared.Next(100000)}", "10.40");

        var balancers = await moto.Clients.Elbv2(MotoServer.Region).DescribeLoadBalancersAsync(CancellationToken.None);

        var balancer = Assert.Single(balancers, lb => lb.Arn == arn);
        Assert.Equal("application", balancer.Type);
        Assert.Equal([group], balancer.SecurityGroups);
    }

    [Fact]
    public async Task EventBridge_AnEventMatchingARule_ReachesTheRulesQueue()
    {
        var sqs = moto.Sqs();
        var queueUrl = (await sqs.CreateQueueAsync($"sigv4-{Guid.NewGuid():N}")).QueueUrl;
        var queueArn = (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        var events = moto.Clients.EventBridge(MotoServer.Region);
        var rule = $"sigv4-{Guid.NewGuid():N}";
        await events.PutRuleAsync(rule, """{"source":["remediators.sigv4-test"]}""", CancellationToken.None);
        await events.PutTargetsAsync(rule, [new RuleTarget("queue", queueArn)], CancellationToken.None);

        var put = await events.PutEventsAsync([new PutEventsEntry("remediators.sigv4-test", "Probe", """{"n":1}""", [])], CancellationToken.None);
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 1 });

        Assert.Equal(0, put.FailedEntryCount);
        Assert.Contains("remediators.sigv4-test", Assert.Single(received.Messages).Body, StringComparison.Ordinal);
    }

    private BasicAWSCredentials WrongSecret() => new(moto.Credentials.GetCredentials().AccessKey, "not-the-secret");
}
