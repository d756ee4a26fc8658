using Amazon.EC2;
using Amazon.EC2.Model;

namespace Remediators.Local.Demo.Scenarios;

/// <summary>
/// The same world-open group in both members and both regions. Member 1 forwards its AuthorizeSecurityGroupIngress from the
/// second region: the revoker removes that rule there, through member 1's role, and nowhere else. A forged event names an
/// account outside the organization but member 2's group: it is refused before any role is assumed, and the group stays open.
/// </summary>
internal sealed class MemberIngressScenario(DemoOrganization organization) : IDemoScenario
{
    private const string GroupName = "web-ssh";
    private const string WorldSsh = "ingress tcp 22 from 0.0.0.0/0";
    private const string SampleGroupId = "sg-0a1b2c3d4e5f60718";
    private const string SampleEvent = "public-ingress-revoker/authorize-security-group-ingress.json";

    private readonly Dictionary<(string Account, string Region), string> _groupIds = [];

    public string Description => $"security group {GroupName} open to the world on port 22 in every member and region";

    public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

    public IReadOnlyList<ExpectedItem> ExpectedChanges =>
        [new(Resource, WorldSsh, ExpectedItem.Absent, Member1.Place(DemoOrganization.SecondRegion))];

    private static string Resource => $"security group {GroupName}";

    private DemoMember Member1 => organization.Members[0];

    private DemoMember Member2 => organization.Members[1];

    public async Task SeedAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        foreach (var member in organization.Members)
        {
            foreach (var region in DemoOrganization.Regions)
            {
                var ec2 = Ec2(member, region);
                var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.30.0.0/16" }, cancellationToken)).Vpc.VpcId;
                var group = (await ec2.CreateSecurityGroupAsync(
                    new CreateSecurityGroupRequest { VpcId = vpc, GroupName = GroupName, Description = GroupName }, cancellationToken)).GroupId;
                await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
                {
                    GroupId = group,
                    IpPermissions =
                    [
                        new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] },
                        new IpPermission { IpProtocol = "tcp", FromPort = 5432, ToPort = 5432, Ipv4Ranges = [new IpRange { CidrIp = "10.30.0.0/16" }] },
                    ],
                }, cancellationToken);
                _groupIds[(member.Account, region)] = group;
            }
        }
    }

    public IReadOnlyList<(string Label, string Json)> Events(DemoAccount account) =>
    [
        ($"{Member1.Name}/{DemoOrganization.SecondRegion} forwards AuthorizeSecurityGroupIngress on {GroupName}",
            Forwarded(account, Member1.Account, DemoOrganization.SecondRegion, _groupIds[(Member1.Account, DemoOrganization.SecondRegion)])),
        ($"forged: the same from account {DemoOrganization.Stranger} on {Member2.Name}'s group",
            Forwarded(account, DemoOrganization.Stranger, DemoOrganization.SecondRegion, _groupIds[(Member2.Account, DemoOrganization.SecondRegion)])),
    ];

    public async Task<IReadOnlyList<ResourceState>> SnapshotAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var states = new List<ResourceState>();
        foreach (var member in organization.Members)
        {
            foreach (var region in DemoOrganization.Regions)
            {
                var rules = (await Ec2(member, region).DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest
                {
                    Filters = [new Filter("group-id", [_groupIds[(member.Account, region)]])],
                }, cancellationToken)).SecurityGroupRules ?? [];
                states.Add(new ResourceState(Resource,
                    rules.Where(r => r.IsEgress != true).ToDictionary(r => $"ingress {r.IpProtocol} {r.FromPort} from {r.CidrIpv4}", _ => "allowed"),
                    member.Place(region)));
            }
        }
        return states;
    }

    private static string Forwarded(DemoAccount account, string sender, string region, string groupId) =>
        DemoOrganization.Forwarded(account.SampleEvent(SampleEvent, (SampleGroupId, groupId), (DemoAccount.AccountId, sender)), sender, region);

    private static AmazonEC2Client Ec2(DemoMember member, string region) =>
        member.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(region, (c, config) => new AmazonEC2Client(c, config));
}
