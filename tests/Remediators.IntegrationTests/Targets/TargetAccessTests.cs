using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Targets;

/// <summary>Core's way to member accounts, on moto's real STS and Organizations with signature checking on.</summary>
[Collection(MotoCollection.Name)]
public sealed class TargetAccessTests(MotoServer moto)
{
    private const string Function = "PublicIngressRevoker";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly InvocationContext Invocation =
        new("request-1", DateTimeOffset.UtcNow.AddMinutes(5), $"arn:aws:lambda:{MotoServer.Region}:{MotoServer.AccountId}:function:{Function}", null);

    /// <summary>A fresh account id per test, so tests share moto without sharing accounts.</summary>
    private static string NewAccount() => $"3{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}";

    private static TargetSettings Listing(params string[] accounts) => new() { Accounts = accounts.ToHashSet() };

    /// <summary>Hub clients of the signing identity whose AssumeRole and DescribeAccount calls are counted.</summary>
    private (AwsClients Hub, Func<string, int> Calls) CountingHub(Amazon.Runtime.AWSCredentials? credentials = null)
    {
        var hub = new AwsClients(credentials ?? moto.Credentials, Http, RetryBackoff.Default);
        var calls = new List<string>();
        hub.RequestSent += (_, operation) => { lock (calls) calls.Add(operation); };
        return (hub, operation => { lock (calls) return calls.Count(c => c == operation); });
    }

    private static Trigger ForwardedCloudTrail(string account) => Parse("public-ingress-revoker", "authorize-security-group-ingress.json",
        ("\"account\": \"123456789012\"", $"\"account\": \"{account}\""), ("\"recipientAccountId\": \"123456789012\"", $"\"recipientAccountId\": \"{account}\""));

    private static Trigger AdministratorFinding(string account) => Parse("unused-key-disabler", "guardduty-compromised-long-term-key.json",
        ("\"accountId\": \"123456789012\"", $"\"accountId\": \"{account}\""));

    private static Trigger Parse(string folder, string file, params (string From, string To)[] replacements)
    {
        var json = LocalInvoke.SampleEvent(Path.Combine(folder, file), replacements);
        return EventParser.Parse(Encoding.UTF8.GetBytes(json)).Trigger!;
    }

    [Fact]
    public async Task AMemberTarget_IsReachedThroughItsRole_WhoseKeysActInTheMembersAccount()
    {
        var member = NewAccount();
        await moto.CreateMemberRoleAsync(member, $"remediators-{Function}", ["ec2:CreateSecurityGroup", "ec2:DescribeSecurityGroups"]);
        var (hub, _) = CountingHub();
        var access = new TargetAccess(Function, Listing(member), hub, moto.RoleAssumer(hub));

        var target = (await access.AdmitAsync(ForwardedCloudTrail(member), Invocation, TargetKind.Regional, CancellationToken.None)).Target!;
        Assert.Null(await access.ConnectAsync(target, "event-1", CancellationToken.None));
        var ec2 = access.ClientsFor(target).Sdk<AmazonEC2Client, AmazonEC2Config>(target.Region, (c, config) => new AmazonEC2Client(c, config));
        var groupId = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = $"member-{member}", Description = "in the member" })).GroupId;

        Assert.Equal(new Target(member, MotoServer.Region), target);
        var inMember = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [groupId] })).SecurityGroups.Single();
        Assert.Equal(member, inMember.OwnerId);
        var inHub = await moto.Ec2().DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("group-id", [groupId])] });
        Assert.Empty(inHub.SecurityGroups ?? []);
    }

    [Fact]
    public async Task TheHubsOwnAccount_IsReachedWithItsOwnCredentials_WithoutAssumeRole()
    {
        var (hub, calls) = CountingHub();
        var access = new TargetAccess(Function, Listing(NewAccount()), hub, moto.RoleAssumer(hub));

        var target = (await access.AdmitAsync(ForwardedCloudTrail(MotoServer.AccountId), Invocation, TargetKind.Regional, CancellationToken.None)).Target!;

        Assert.Null(await access.ConnectAsync(target, "event-1", CancellationToken.None));
        Assert.Same(hub, access.ClientsFor(target));
        Assert.Equal(0, calls("AssumeRole"));
    }

    [Fact]
    public async Task ManyEventsForTwoMembers_AssumeEachRoleOnce()
    {
        var (first, second) = (NewAccount(), NewAccount());
        await moto.CreateMemberRoleAsync(first, $"remediators-{Function}", ["ec2:DescribeSecurityGroups"]);
        await moto.CreateMemberRoleAsync(second, $"remediators-{Function}", ["ec2:DescribeSecurityGroups"]);
        var (hub, calls) = CountingHub();
        var access = new TargetAccess(Function, Listing(first, second), hub, moto.RoleAssumer(hub));

        for (var i = 0; i < 5; i++)
        {
            foreach (var account in new[] { first, second })
            {
                var target = (await access.AdmitAsync(ForwardedCloudTrail(account), Invocation, TargetKind.Regional, CancellationToken.None)).Target!;
                Assert.Null(await access.ConnectAsync(target, $"event-{i}", CancellationToken.None));
                await access.ClientsFor(target).Sdk<AmazonEC2Client, AmazonEC2Config>(target.Region, (c, config) => new AmazonEC2Client(c, config))
                    .DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest());
            }
        }

        Assert.Equal(2, calls("AssumeRole"));
        Assert.Equal(10, calls("DescribeSecurityGroups"));
    }

    [Fact]
    public async Task NearTheSessionsExpiry_TheRoleIsAssumedAgain()
    {
        var member = NewAccount();
        await moto.CreateMemberRoleAsync(member, $"remediators-{Function}", ["ec2:DescribeSecurityGroups"]);
        var (hub, calls) = CountingHub();
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        using var credentials = new MemberRoleCredentials(MemberRoles.RoleArn(new Target(member, MotoServer.Region), "remediators-", Function), moto.RoleAssumer(hub), clock);

        await credentials.EnsureAsync("event-1", CancellationToken.None);
        clock.Now += TimeSpan.FromMinutes(50);
        await credentials.EnsureAsync("event-2", CancellationToken.None);
        clock.Now += TimeSpan.FromMinutes(6);
        await credentials.EnsureAsync("event-3", CancellationToken.None);

        Assert.Equal(2, calls("AssumeRole"));
    }

    [Fact]
    public async Task AssumeRoleDenied_IsTheTargetsFailedResult_NamingAccountAndRole_AndNothingIsCalledThere()
    {
        var member = NewAccount();
        var roleArn = MemberRoles.RoleArn(new Target(member, MotoServer.Region), "remediators-", Function);
        var denied = await moto.CreateHubIdentityDeniedAssumeRoleAsync($"hub-denied-{member}", roleArn);
        var (hub, calls) = CountingHub(denied);
        var access = new TargetAccess(Function, Listing(member), hub, moto.RoleAssumer(hub));
        var target = (await access.AdmitAsync(ForwardedCloudTrail(member), Invocation, TargetKind.Regional, CancellationToken.None)).Target!;

        var failed = await access.ConnectAsync(target, "event-1", CancellationToken.None);

        Assert.NotNull(failed);
        Assert.Equal((roleArn, OutcomeStatus.Failed, "AccessDenied"), (failed.ResourceId, failed.Status, failed.Error));
        Assert.Contains($"Deploy member-roles.yaml in account {member}", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, calls("AssumeRole"));
    }

    [Fact]
    public async Task Organization_AdmitsAMember_RefusesAStranger_AndAsksOncePerAccount()
    {
        var organizationId = await moto.OrganizationAsync();
        var member = await moto.CreateOrganizationAccountAsync($"member-{Guid.NewGuid():N}"[..20]);
        var stranger = NewAccount();
        var (hub, calls) = CountingHub();
        var settings = new TargetSettings { WholeOrganization = true, OrganizationId = organizationId };
        var access = new TargetAccess(Function, settings, hub, moto.RoleAssumer(hub), new OrganizationMembership(hub.Organizations(MotoServer.Region), organizationId));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new Target(member, MotoServer.Region), (await access.AdmitAsync(AdministratorFinding(member), Invocation, TargetKind.Regional, CancellationToken.None)).Target);
            Assert.Equal($"account {stranger} is not an active member of organization {organizationId}; this function acts only in account {MotoServer.AccountId} and the organization's",
                (await access.AdmitAsync(AdministratorFinding(stranger), Invocation, TargetKind.Regional, CancellationToken.None)).Refusal);
        }

        Assert.Equal(2, calls("DescribeAccount"));
        Assert.Equal(0, calls("AssumeRole"));
    }

    private sealed class MovableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
