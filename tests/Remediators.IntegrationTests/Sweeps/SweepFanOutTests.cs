using System.Text.Json;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SQS.Model;
using Remediators.Core.Sweeps;
using Remediators.Core.Targets;
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

    private async Task<List<(string Account, string Region)>> TargetsWaitingAsync(string queueUrl) =>
        [.. (await WorkWaitingAsync(queueUrl)).Select(w => (w.Account, w.Region))];

    private async Task<List<(string Account, string Region, string Body)>> WorkWaitingAsync(string queueUrl)
    {
        var work = new List<(string, string, string)>();
        while ((await moto.Sqs().ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10 })).Messages is { Count: > 0 } messages)
        {
            foreach (var message in messages)
            {
                using var body = JsonDocument.Parse(message.Body);
                Assert.Equal("Scheduled Event", body.RootElement.GetProperty("detail-type").GetString());
                work.Add((body.RootElement.GetProperty("account").GetString()!, body.RootElement.GetProperty("region").GetString()!, message.Body));
                await moto.Sqs().DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }
        return work;
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

    [Fact]
    public async Task WorkMessages_WhenOneMembersRoleIsMissing_FailOnlyThatTargetNamingTheRole_AndTheOtherMemberIsStillRemediated()
    {
        const string function = "PublicIngressRevoker";
        var reachable = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        var unreachable = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(reachable.Account, function);
        var missingRole = MemberRoles.RoleArn(new Target(unreachable.Account, MotoServer.Region), TargetSettings.DefaultMemberRolePrefix, function);
        await moto.DenyAssumingRoleAsync(missingRole);
        var (reachableGroup, unreachableGroup) = (await OpenGroupInAsync(reachable), await OpenGroupInAsync(unreachable));
        var queue = await WorkQueueAsync(function);
        var parameters = new Dictionary<string, string>
        {
            ["Mode"] = "enforce", ["TargetAccounts"] = $"{reachable.Account},{unreachable.Account}", ["OrganizationId"] = "o-a1b2c3d4e5",
        };
        var dispatched = await moto.InvokeAsync(function, LocalInvoke.SampleEvent("public-ingress-revoker/scheduled-sweep.json"), parameters, environmentOverrides: Using(queue));
        Assert.True(dispatched.Answered, dispatched.Logs);
        var work = (await WorkWaitingAsync(queue.Url)).ToDictionary(w => w.Account, w => w.Body);
        Assert.Equal(new[] { Hub, reachable.Account, unreachable.Account }.Order(), work.Keys.Order());

        var failed = await moto.InvokeAsync(function, SqsEvent(work[unreachable.Account], queue.Arn), parameters, environmentOverrides: Using(queue));
        var remediated = await moto.InvokeAsync(function, SqsEvent(work[reachable.Account], queue.Arn), parameters, environmentOverrides: Using(queue));

        Assert.False(failed.Answered);
        var outcome = failed.LoggedOutcome;
        Assert.Equal(("Failed", unreachable.Account), (outcome.GetProperty("status").GetString(), outcome.GetProperty("account").GetString()));
        Assert.Contains($"could not assume {missingRole} in account {unreachable.Account}", outcome.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(await IngressRulesInAsync(unreachable, unreachableGroup), r => r.CidrIpv4 == "0.0.0.0/0");
        Assert.True(remediated.Answered, remediated.Logs);
        Assert.Equal(("Remediated", reachable.Account), (remediated.Status, remediated.Body.GetProperty("account").GetString()));
        Assert.Equal(reachableGroup, Assert.Single(remediated.Resources).GetProperty("resourceId").GetString());
        Assert.DoesNotContain(await IngressRulesInAsync(reachable, reachableGroup), r => r.CidrIpv4 == "0.0.0.0/0");
    }

    private static AmazonEC2Client Ec2In(MemberAccount member) =>
        member.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(MotoServer.Region, (c, config) => new AmazonEC2Client(c, config));

    private static async Task<string> OpenGroupInAsync(MemberAccount member)
    {
        var ec2 = Ec2In(member);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.13.0.0/16" })).Vpc.VpcId;
        var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = "open", Description = "open" })).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [Tcp(22, 22, "0.0.0.0/0")] });
        return group;
    }

    private static async Task<List<SecurityGroupRule>> IngressRulesInAsync(MemberAccount member, string group) =>
        [.. (await Ec2In(member).DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [group])] }))
            .SecurityGroupRules.Where(r => r.IsEgress != true)];
}
