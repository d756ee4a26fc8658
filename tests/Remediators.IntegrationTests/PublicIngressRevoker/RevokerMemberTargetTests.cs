using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.IntegrationTests.Fixtures;
using static Remediators.IntegrationTests.Fixtures.Seed;

namespace Remediators.IntegrationTests.PublicIngressRevoker;

/// <summary>The built revoker in a hub, acting on events members forward: in a listed member through its role, nowhere else.</summary>
[Collection(MotoCollection.Name)]
public sealed class RevokerMemberTargetTests(MotoServer moto)
{
    private const string Function = "PublicIngressRevoker";
    private const string SampleGroupId = "sg-0a1b2c3d4e5f60718";
    private static readonly Dictionary<string, string> Enforce = new() { ["Mode"] = "enforce" };

    [Fact]
    public async Task AListedMembersEvent_IsRevokedInThatAccountThroughItsRole_AndTheHubIsUntouched()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function);
        var ec2 = Ec2In(member);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.9.0.0/16" })).Vpc.VpcId;
        var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = $"open-{member.Account}", Description = "member" })).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = group, IpPermissions = [Tcp(22, 22, "0.0.0.0/0"), Tcp(5432, 5432, "10.0.0.0/8")],
        });
        var hubGroupsBefore = await HubGroupIdsAsync();
        var (environment, overrides) = MemberTargets.Settings(member.Account);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, MemberEvent(group, member.Account), Enforce, environment: environment, environmentOverrides: overrides);
        var operations = await recording.StopAsync();

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(member.Account, answer.Body.GetProperty("account").GetString());
        Assert.Single(operations, o => o == "AssumeRole");
        var rules = (await ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [group])] }))
            .SecurityGroupRules.Where(r => r.IsEgress != true).ToList();
        Assert.DoesNotContain(rules, r => r.CidrIpv4 == "0.0.0.0/0");
        Assert.Contains(rules, r => r.CidrIpv4 == "10.0.0.0/8");
        var undo = answer.Resources.Single().GetProperty("changes")[0].GetProperty("howToUndo").GetString();
        Assert.StartsWith($"In account {member.Account}, region {MotoServer.Region}", undo, StringComparison.Ordinal);
        Assert.Equal(hubGroupsBefore, await HubGroupIdsAsync());
    }

    [Fact]
    public async Task AListedMembersEventInDryRun_AssumesItsRoleOnce_AndOnlyReads()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function);
        var ec2 = Ec2In(member);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.10.0.0/16" })).Vpc.VpcId;
        var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = $"dry-{member.Account}", Description = "member" })).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [Tcp(22, 22, "0.0.0.0/0")] });
        var (environment, overrides) = MemberTargets.Settings(member.Account);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, MemberEvent(group, member.Account), new Dictionary<string, string> { ["Mode"] = "dry-run" },
            environment: environment, environmentOverrides: overrides);
        var operations = await recording.StopAsync();

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("DryRun", answer.Status);
        Assert.Single(operations, o => o == "AssumeRole");
        Assert.Contains("DescribeSecurityGroupRules", operations);
        Assert.Empty(MemberTargets.NotDeclaredReads(Function, operations));
        Assert.Contains((await ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [group])] })).SecurityGroupRules,
            r => r.IsEgress != true && r.CidrIpv4 == "0.0.0.0/0");
    }

    [Fact]
    public async Task AMemberNotListed_IsRejectedWithoutAnyCall()
    {
        var (environment, overrides) = MemberTargets.Settings(MemberTargets.NewAccount());
        var stranger = MemberTargets.NewAccount();

        var (answer, operations) = await InvokeRecordedAsync(MemberEvent(SampleGroupId, stranger), environment, overrides);

        Assert.Equal("Rejected", answer.Status);
        Assert.Equal($"the event names account {stranger}; this function acts only in account {MotoServer.AccountId} and those of TARGET_ACCOUNTS",
            answer.Body.GetProperty("reason").GetString());
        Assert.Empty(operations);
    }

    [Fact]
    public async Task ACloudTrailEventWhoseRecipientDisagreesWithItsEnvelope_IsRejectedWithoutAnyCall()
    {
        var member = MemberTargets.NewAccount();
        var other = MemberTargets.NewAccount();
        var (environment, overrides) = MemberTargets.Settings($"{member},{other}");
        var forged = MemberEvent(SampleGroupId, member).Replace($"\"recipientAccountId\":\"{member}\"", $"\"recipientAccountId\":\"{other}\"", StringComparison.Ordinal);

        var (answer, operations) = await InvokeRecordedAsync(forged, environment, overrides);

        Assert.Equal("Rejected", answer.Status);
        Assert.Equal($"CloudTrail event for account {other} arrived in account {member}", answer.Body.GetProperty("reason").GetString());
        Assert.Empty(operations);
    }

    [Fact]
    public async Task AListedMembersEventFromARegionNotListed_IsRejectedWithoutAnyCall()
    {
        var member = MemberTargets.NewAccount();
        var (environment, overrides) = MemberTargets.Settings(member, regions: "us-west-2");
        var elsewhere = MemberTargets.Forwarded(LocalInvoke.SampleEvent("public-ingress-revoker/authorize-security-group-ingress.json"), member, "eu-west-1");

        var (answer, operations) = await InvokeRecordedAsync(elsewhere, environment, overrides);

        Assert.Equal("Rejected", answer.Status);
        Assert.Equal($"the event names region eu-west-1; this function acts only in region {MotoServer.Region} and those of TARGET_REGIONS",
            answer.Body.GetProperty("reason").GetString());
        Assert.Empty(operations);
    }

    [Fact]
    public async Task AMemberWhoseRoleCannotBeAssumed_FailsNamingTheRole()
    {
        var member = MemberTargets.NewAccount();
        const string prefix = "revoker-missing-";
        await moto.DenyAssumingRolesAsync(prefix);
        var (environment, overrides) = MemberTargets.Settings(member, rolePrefix: prefix);

        var answer = await moto.InvokeAsync(Function, MemberEvent(SampleGroupId, member), Enforce, environment: environment, environmentOverrides: overrides);

        MemberTargets.AssertRoleUnreachable(answer, member, $"arn:aws:iam::{member}:role/{prefix}{Function}");
    }

    private async Task<(FunctionAnswer Answer, IReadOnlyList<string> Operations)> InvokeRecordedAsync(
        string eventJson, Dictionary<string, string> environment, Dictionary<string, string> overrides)
    {
        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, eventJson, Enforce, environment: environment, environmentOverrides: overrides);
        return (answer, await recording.StopAsync());
    }

    private static string MemberEvent(string groupId, string account) => MemberTargets.Forwarded(
        LocalInvoke.SampleEvent("public-ingress-revoker/authorize-security-group-ingress.json", (SampleGroupId, groupId)), account, MotoServer.Region);

    private static AmazonEC2Client Ec2In(MemberAccount member) =>
        member.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(MotoServer.Region, (c, config) => new AmazonEC2Client(c, config));

    private async Task<List<string>> HubGroupIdsAsync() =>
        [.. (await moto.Ec2().DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest())).SecurityGroups.Select(g => g.GroupId).Order(StringComparer.Ordinal)];
}
