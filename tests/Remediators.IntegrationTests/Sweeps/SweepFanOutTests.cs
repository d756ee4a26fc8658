using System.Text.Json;
using Amazon.EC2.Model;
using Amazon.SQS.Model;
using Remediators.Core.Sweeps;
using Remediators.IntegrationTests.Fixtures;
using static Remediators.IntegrationTests.Fixtures.Seed;

namespace Remediators.IntegrationTests.Sweeps;

/// <summary>Scheduled sweeps with member targets, through the built functions on moto: dispatch to the work queue, then work from it.</summary>
[Collection(MotoCollection.Name)]
public sealed class SweepFanOutTests(MotoServer moto)
{
    private const string Hub = MotoServer.AccountId;
    private const string MemberA = "411111111111";
    private const string MemberB = "422222222222";

    private static Dictionary<string, string> Members(string regions = "eu-west-1") => new()
    {
        ["Mode"] = "enforce", ["TargetAccounts"] = $"{MemberA},{MemberB}", ["TargetRegions"] = regions, ["OrganizationId"] = "o-a1b2c3d4e5",
    };

    // In the function's region, as the template puts it.
    private async Task<(string Url, string Arn)> WorkQueueAsync(string function, string region = MotoServer.Region)
    {
        var name = $"{function}Work-{Guid.NewGuid():N}";
        var url = (await moto.Sqs(region).CreateQueueAsync(name)).QueueUrl;
        return (url, $"arn:aws:sqs:{region}:{Hub}:{name}");
    }

    private static Dictionary<string, string> Using((string Url, string Arn) queue) => new()
    {
        [SweepSettings.QueueUrlVariable] = queue.Url, [SweepSettings.QueueArnVariable] = queue.Arn,
    };

    private async Task<List<(string Account, string Region)>> TargetsWaitingAsync(string queueUrl)
    {
        var targets = new List<(string, string)>();
        while ((await moto.Sqs().ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10 })).Messages is { Count: > 0 } messages)
        {
            foreach (var message in messages)
            {
                using var work = JsonDocument.Parse(message.Body);
                Assert.Equal("Scheduled Event", work.RootElement.GetProperty("detail-type").GetString());
                targets.Add((work.RootElement.GetProperty("account").GetString()!, work.RootElement.GetProperty("region").GetString()!));
                await moto.Sqs().DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }
        return targets;
    }

    private static string SqsEvent(string body, string sourceArn) => JsonSerializer.Serialize(new
    {
        Records = new[] { new { messageId = Guid.NewGuid().ToString(), receiptHandle = "r", body, eventSource = "aws:sqs", eventSourceARN = sourceArn, awsRegion = MotoServer.Region } },
    });

    [Fact]
    public async Task RevokerSweep_WithTwoMembersInTwoRegions_DispatchesOneWorkMessagePerAccountAndRegion_AndRemediatesNothingItself()
    {
        var queue = await WorkQueueAsync("PublicIngressRevoker");

        var answer = await moto.InvokeAsync("PublicIngressRevoker", LocalInvoke.SampleEvent("public-ingress-revoker/scheduled-sweep.json"), Members(), environmentOverrides: Using(queue));

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(6, answer.Count("TargetsDispatched"));
        (string, string)[] expected =
        [
            (Hub, "us-east-1"), (Hub, "eu-west-1"), (MemberA, "us-east-1"), (MemberA, "eu-west-1"), (MemberB, "us-east-1"), (MemberB, "eu-west-1"),
        ];
        Assert.Equal(expected.Order(), (await TargetsWaitingAsync(queue.Url)).Order());
    }

    [Fact]
    public async Task KeyScan_WithTwoMembers_DispatchesOneWorkMessagePerAccount()
    {
        var queue = await WorkQueueAsync("UnusedKeyDisabler");

        var answer = await moto.InvokeAsync("UnusedKeyDisabler", LocalInvoke.SampleEvent("unused-key-disabler/scheduled-scan.json"), Members(), environmentOverrides: Using(queue));

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal([(Hub, "us-east-1"), (MemberA, "us-east-1"), (MemberB, "us-east-1")], (await TargetsWaitingAsync(queue.Url)).Order());
    }

    [Fact]
    public async Task WorkMessage_FromItsQueue_RemediatesItsTarget()
    {
        const string region = "eu-north-1";
        var queue = await WorkQueueAsync("PublicIngressRevoker", region);
        var ec2 = moto.Ec2(region);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.11.0.0/16" })).Vpc.VpcId;
        var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = "open", Description = "open" })).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [Tcp(22, 22, "0.0.0.0/0")] });
        var schedule = LocalInvoke.SampleEvent("public-ingress-revoker/scheduled-sweep.json", ("us-east-1", region));
        var dispatched = await moto.InvokeAsync("PublicIngressRevoker", schedule, Members(), region, environmentOverrides: Using(queue));
        Assert.True(dispatched.Answered, dispatched.Logs);
        var work = (await moto.Sqs(region).ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queue.Url, MaxNumberOfMessages = 10 })).Messages
            .Single(m => m.Body.Contains($"\"account\":\"{Hub}\"", StringComparison.Ordinal) && m.Body.Contains($"\"region\":\"{region}\"", StringComparison.Ordinal));

        var answer = await moto.InvokeAsync("PublicIngressRevoker", SqsEvent(work.Body, queue.Arn), Members(), region, environmentOverrides: Using(queue));

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(group, Assert.Single(answer.Resources).GetProperty("resourceId").GetString());
        Assert.DoesNotContain(await moto.IngressRulesAsync(group, region), r => r.CidrIpv4 == "0.0.0.0/0");
    }

    [Fact]
    public async Task WorkMessage_FromAnotherQueue_IsRefusedAndChangesNothing()
    {
        const string region = "eu-south-1";
        var queue = await WorkQueueAsync("PublicIngressRevoker");
        var ec2 = moto.Ec2(region);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.12.0.0/16" })).Vpc.VpcId;
        var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = "open", Description = "open" })).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [Tcp(22, 22, "0.0.0.0/0")] });
        var forged = LocalInvoke.SampleEvent("public-ingress-revoker/scheduled-sweep.json", ("us-east-1", region));

        var answer = await moto.InvokeAsync("PublicIngressRevoker", SqsEvent(forged, $"arn:aws:sqs:{region}:{Hub}:someone-elses-queue"), Members(), region, environmentOverrides: Using(queue));

        Assert.Equal("Rejected", answer.Status);
        Assert.Contains("takes work only from its work queue", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(await moto.IngressRulesAsync(group, region), r => r.CidrIpv4 == "0.0.0.0/0");
    }
}
