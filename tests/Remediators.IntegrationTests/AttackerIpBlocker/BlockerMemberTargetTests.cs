using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Fixtures;
using Remediators.IntegrationTests.Template;

namespace Remediators.IntegrationTests.AttackerIpBlocker;

/// <summary>
/// The built blocker and pruner in a hub, on delegated-admin GuardDuty findings about members (envelope: the hub; detail: the
/// member): the hub's IP sets are the one blocklist, while the member's own addresses and its subnets' ACLs are read and
/// changed in the member, through its role granting only what the function declares.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class BlockerMemberTargetTests(MotoServer moto)
{
    private static readonly Dictionary<string, string> NaclDeny = new() { ["AttackerNaclDeny"] = "true" };

    [Fact]
    public async Task AMembersFinding_IsBlockedInTheHubSetAndDeniedInTheMembersAcl_AndThePrunerRemovesTheDenyThereOnExpiry()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var member = await MemberWithRolesAsync();
        var (subnet, acl) = await SubnetWithAclAsync(member, "10.71.0.0/16", "10.71.1.0/24");
        var hubAclsBefore = await HubAclEntryCountAsync();
        var (environment, overrides) = MemberTargets.Settings(member.Account);

        var recording = await moto.StartRecordingAsync();
        var blocked = await InvokeAsync("AttackerIpBlocker", MemberFinding("203.0.113.71", member.Account, subnet), blocklist, Findings.SampleNow, environment, overrides);
        var blockCalls = await recording.StopAsync();

        Assert.Equal("Remediated", blocked.Status);
        Assert.Equal(["203.0.113.71/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Contains(await InboundEntriesAsync(member, acl), e => e.RuleAction == RuleAction.Deny && e.CidrBlock == "203.0.113.71/32");
        Assert.Equal(hubAclsBefore, await HubAclEntryCountAsync());
        Assert.Single(blockCalls, c => c == "AssumeRole");
        var deny = blocked.Resources.Single().GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("action").GetString() == "CreateNaclDenyEntry");
        Assert.StartsWith($"In account {member.Account}, region {MotoServer.Region}", deny.GetProperty("howToUndo").GetString(), StringComparison.Ordinal);
        Assert.Equal((member.Account, MotoServer.Region), (deny.GetProperty("undo").GetProperty("account").GetString(), deny.GetProperty("undo").GetProperty("region").GetString()));
        Assert.Contains($"in account {member.Account} ({MotoServer.Region})", blocked.Resources.Single().GetProperty("reason").GetString(), StringComparison.Ordinal);

        recording = await moto.StartRecordingAsync();
        var pruned = await InvokeAsync("BlocklistPruner", LocalInvoke.SampleEvent(Path.Combine("blocklist-pruner", "scheduled-prune.json")), blocklist,
            Findings.SampleNow.AddHours(25), environment, overrides);
        var pruneCalls = await recording.StopAsync();

        Assert.Equal("Remediated", pruned.Status);
        Assert.Equal(1, pruned.Count("NaclEntriesRemoved"));
        Assert.DoesNotContain(await InboundEntriesAsync(member, acl), e => e.CidrBlock == "203.0.113.71/32");
        Assert.Empty(await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Single(pruneCalls, c => c == "AssumeRole");
    }

    [Fact]
    public async Task AMembersOwnElasticIp_IsNotBlocked()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var member = await MemberWithRolesAsync();
        // An address of our choosing: moto's own picks fall in ranges the blocker refuses before it looks at the account's addresses.
        var own = (await Ec2In(member).AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc, Address = "198.51.100.75" })).PublicIp;
        var (environment, overrides) = MemberTargets.Settings(member.Account);

        var answer = await InvokeAsync("AttackerIpBlocker", MemberFinding(own, member.Account, subnet: null), blocklist, Findings.SampleNow, environment, overrides);

        Assert.Equal("Exempt", answer.Status);
        Assert.StartsWith("not blocked: the account's own public address (Elastic IP", answer.Reasons("Exempt")[own], StringComparison.Ordinal);
        Assert.Empty(await moto.AddressesAsync(blocklist.Ipv4SetArn));
    }

    [Fact]
    public async Task AFindingOfAnAccountNotListed_BlocksNothingAndAssumesNoRole()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var (environment, overrides) = MemberTargets.Settings(MemberTargets.NewAccount());
        var stranger = MemberTargets.NewAccount();

        var recording = await moto.StartRecordingAsync();
        var answer = await InvokeAsync("AttackerIpBlocker", MemberFinding("203.0.113.72", stranger, subnet: null), blocklist, Findings.SampleNow, environment, overrides);
        var calls = await recording.StopAsync();

        Assert.Equal(
            $"not blocked: the finding names account {stranger}; this function acts only in account {MotoServer.AccountId} and those of TARGET_ACCOUNTS",
            answer.Reasons("Exempt")["203.0.113.72"]);
        Assert.DoesNotContain("AssumeRole", calls);
        Assert.DoesNotContain(calls, c => c is "UpdateIPSet" or "UpdateItem");
        Assert.Empty(await moto.AddressesAsync(blocklist.Ipv4SetArn));
    }

    [Fact]
    public async Task AMemberWhoseRoleCannotBeAssumed_FailsNamingTheRole_WhileTheRestOfTheBatchIsBlocked()
    {
        const string prefix = "blocker-denied-";
        await moto.DenyAssumingRolesAsync(prefix);
        var blocklist = await moto.CreateBlocklistAsync();
        var member = MemberTargets.NewAccount();
        var (environment, overrides) = MemberTargets.Settings(member, rolePrefix: prefix);
        var batch = Findings.SqsBatch([MemberFinding("203.0.113.73", member, subnet: null), Findings.SshBruteForce("203.0.113.74", Findings.SampleNow)]);

        var answer = await InvokeAsync("AttackerIpBlocker", batch, blocklist, Findings.SampleNow, environment, overrides, expectAnswer: false);

        // The invocation fails once its outcome is logged, so Lambda retries the batch.
        Assert.False(answer.Answered);
        var role = $"arn:aws:iam::{member}:role/{prefix}AttackerIpBlocker";
        Assert.Contains($"\"resourceId\":\"{role}\",\"status\":\"Failed\",\"reason\":\"could not assume {role}", answer.Logs, StringComparison.Ordinal);
        Assert.Contains($"Deploy member-roles.yaml in account {member}", answer.Logs, StringComparison.Ordinal);
        Assert.Contains("\"resourceId\":\"203.0.113.74/32\",\"status\":\"Remediated\"", answer.Logs, StringComparison.Ordinal);
        Assert.Equal(["203.0.113.74/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Null(await moto.RecordAsync(blocklist.Table, "203.0.113.73/32"));
    }

    /// <summary>A member with the blocker's and the pruner's roles, each allowed exactly their declared target-side actions (NACL writes included).</summary>
    private async Task<MemberAccount> MemberWithRolesAsync()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        foreach (var function in new[] { "AttackerIpBlocker", "BlocklistPruner" })
            await moto.CreateMemberRoleAsync(member.Account, $"remediators-{function}",
                [.. DeclaredActions.TargetSideAlways(function), .. DeclaredActions.TargetSideFeatures(function).SelectMany(f => f.Actions)]);
        return member;
    }

    /// <summary>A delegated-admin finding: the envelope is the hub's (where GuardDuty's administrator is), the detail names the member.</summary>
    private static string MemberFinding(string attacker, string account, string? subnet)
    {
        var finding = JsonNode.Parse(Findings.SshBruteForce(attacker, Findings.SampleNow, subnet))!;
        finding["detail"]!["accountId"] = account;
        return finding.ToJsonString();
    }

    private async Task<FunctionAnswer> InvokeAsync(
        string function, string eventJson, TestBlocklist blocklist, DateTimeOffset now, Dictionary<string, string> environment, Dictionary<string, string> overrides,
        bool expectAnswer = true)
    {
        var parameters = blocklist.Parameters();
        parameters["Mode"] = "enforce";
        parameters["AttackerRefuseDocumentationRanges"] = "false";
        // GuardDuty rates an inbound SSH brute force Low (2); these tests block Low findings too.
        parameters["AttackerMinSeverity"] = "2";
        foreach (var (name, value) in NaclDeny)
            parameters[name] = value;
        var process = new Dictionary<string, string>(environment) { [TestClock.Variable] = now.ToString("O", CultureInfo.InvariantCulture) };
        var answer = await moto.InvokeAsync(function, eventJson, parameters, environment: process,
            environmentOverrides: new Dictionary<string, string>(overrides.Concat(blocklist.Variables())));
        Assert.True(answer.Answered || !expectAnswer, answer.Logs);
        return answer;
    }

    private static AmazonEC2Client Ec2In(MemberAccount member) =>
        member.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(MotoServer.Region, (c, config) => new AmazonEC2Client(c, config));

    private static async Task<(string SubnetId, string NetworkAclId)> SubnetWithAclAsync(MemberAccount member, string vpcCidr, string subnetCidr)
    {
        var ec2 = Ec2In(member);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = vpcCidr })).Vpc.VpcId;
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = subnetCidr, AvailabilityZone = "us-east-1a" })).Subnet.SubnetId;
        var acls = await ec2.DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest { Filters = [new Filter("association.subnet-id", [subnet])] });
        return (subnet, acls.NetworkAcls.Single().NetworkAclId);
    }

    private static async Task<List<NetworkAclEntry>> InboundEntriesAsync(MemberAccount member, string acl) =>
        [.. (await Ec2In(member).DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest { NetworkAclIds = [acl] })).NetworkAcls.Single().Entries.Where(e => e.Egress != true)];

    private async Task<int> HubAclEntryCountAsync() =>
        (await moto.Ec2().DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest())).NetworkAcls.Sum(a => a.Entries.Count);
}
