using Amazon.EC2.Model;

namespace Remediators.Local.Demo.Scenarios;

/// <summary>
/// A typical web stack with world-open ingress: an ALB group (80/443 and 22), a backend group (8080 and 22 to IPv4 and
/// IPv6) and a database group (5432). The revoker keeps the ALB's 80/443 and every group-to-group rule.
/// </summary>
internal sealed class WebStackScenario : IDemoScenario
{
    private const string Allowed = "allowed";
    private const string SampleGroupId = "sg-0a1b2c3d4e5f60718";

    private readonly Dictionary<string, string> _groupIds = [];
    private string _vpcId = "";

    public string Description => "web stack: ALB, backend and database security groups open to the world";

    public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

    public IReadOnlyList<ExpectedItem> ExpectedChanges =>
    [
        new(Resource("web-alb"), "ingress tcp 22 from 0.0.0.0/0", ExpectedItem.Absent),
        new(Resource("web-backend"), "ingress tcp 8080 from 0.0.0.0/0", ExpectedItem.Absent),
        new(Resource("web-backend"), "ingress tcp 8080 from ::/0", ExpectedItem.Absent),
        new(Resource("web-backend"), "ingress tcp 22 from 0.0.0.0/0", ExpectedItem.Absent),
        new(Resource("web-backend"), "ingress tcp 22 from ::/0", ExpectedItem.Absent),
        new(Resource("web-db"), "ingress tcp 5432 from 0.0.0.0/0", ExpectedItem.Absent),
    ];

    public async Task SeedAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var ec2 = account.Ec2;
        _vpcId = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.20.0.0/16" }, cancellationToken)).Vpc.VpcId;
        foreach (var name in new[] { "web-alb", "web-backend", "web-db" })
        {
            _groupIds[name] = (await ec2.CreateSecurityGroupAsync(
                new CreateSecurityGroupRequest { VpcId = _vpcId, GroupName = name, Description = name }, cancellationToken)).GroupId;
        }

        await OpenAsync(account, "web-alb", [Tcp(80, "0.0.0.0/0"), Tcp(443, "0.0.0.0/0"), Tcp(22, "0.0.0.0/0")], cancellationToken);
        await OpenAsync(account, "web-backend",
            [Tcp(8080, "0.0.0.0/0"), Tcp(8080, "::/0"), Tcp(22, "0.0.0.0/0"), Tcp(22, "::/0"), FromGroup(8080, _groupIds["web-alb"])], cancellationToken);
        await OpenAsync(account, "web-db", [Tcp(5432, "0.0.0.0/0"), FromGroup(5432, _groupIds["web-backend"])], cancellationToken);
        await CreateLoadBalancerAsync(account, cancellationToken);
    }

    public IReadOnlyList<(string Label, string Json)> Events(DemoAccount account) =>
    [
        .. _groupIds.Select(group => ($"AuthorizeSecurityGroupIngress on {group.Key}",
            account.SampleEvent("public-ingress-revoker/authorize-security-group-ingress.json", (SampleGroupId, group.Value)))),
    ];

    public async Task<IReadOnlyList<ResourceState>> SnapshotAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var groups = (await account.Ec2.DescribeSecurityGroupsAsync(
            new DescribeSecurityGroupsRequest { Filters = [new Filter("vpc-id", [_vpcId])] }, cancellationToken)).SecurityGroups ?? [];
        var names = groups.ToDictionary(g => g.GroupId, g => g.GroupName);
        var rules = (await account.Ec2.DescribeSecurityGroupRulesAsync(
            new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [.. names.Keys])] }, cancellationToken)).SecurityGroupRules ?? [];
        return [.. groups.OrderBy(g => g.GroupName, StringComparer.Ordinal).Select(group => new ResourceState(
            Resource(group.GroupName),
            rules.Where(r => r.GroupId == group.GroupId).ToDictionary(r => Describe(r, names), _ => Allowed)))];
    }

    private static string Resource(string groupName) => groupName == "web-alb" ? "security group web-alb (fronts an ALB)" : $"security group {groupName}";

    private static string Describe(SecurityGroupRule rule, Dictionary<string, string> groupNames)
    {
        var ports = rule.IpProtocol == "-1" ? "all" : rule.FromPort == rule.ToPort ? $"{rule.IpProtocol} {rule.FromPort}" : $"{rule.IpProtocol} {rule.FromPort}-{rule.ToPort}";
        var peer = rule.CidrIpv4 ?? rule.CidrIpv6 ?? (rule.ReferencedGroupInfo?.GroupId is { } id ? $"sg {groupNames.GetValueOrDefault(id, id)}" : rule.PrefixListId);
        return rule.IsEgress == true ? $"egress {ports} to {peer}" : $"ingress {ports} from {peer}";
    }

    private async Task OpenAsync(DemoAccount account, string group, IpPermission[] permissions, CancellationToken cancellationToken) =>
        await account.Ec2.AuthorizeSecurityGroupIngressAsync(
            new AuthorizeSecurityGroupIngressRequest { GroupId = _groupIds[group], IpPermissions = [.. permissions] }, cancellationToken);

    private async Task CreateLoadBalancerAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var subnets = new List<string>();
        foreach (var (cidr, zone) in new[] { ("10.20.1.0/24", "us-east-1a"), ("10.20.2.0/24", "us-east-1b") })
        {
            subnets.Add((await account.Ec2.CreateSubnetAsync(
                new CreateSubnetRequest { VpcId = _vpcId, CidrBlock = cidr, AvailabilityZone = zone }, cancellationToken)).Subnet.SubnetId);
        }
        await account.Clients.Elbv2(DemoAccount.Region).CallAsync("CreateLoadBalancer",
        [
            new("Name", "web"), new("Type", "application"), new("Scheme", "internet-facing"),
            new("Subnets.member.1", subnets[0]), new("Subnets.member.2", subnets[1]), new("SecurityGroups.member.1", _groupIds["web-alb"]),
        ], cancellationToken);
    }

    private static IpPermission Tcp(int port, string cidr) => cidr.Contains(':', StringComparison.Ordinal)
        ? new IpPermission { IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv6Ranges = [new Ipv6Range { CidrIpv6 = cidr }] }
        : new IpPermission { IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv4Ranges = [new IpRange { CidrIp = cidr }] };

    private static IpPermission FromGroup(int port, string groupId) =>
        new() { IpProtocol = "tcp", FromPort = port, ToPort = port, UserIdGroupPairs = [new UserIdGroupPair { GroupId = groupId }] };
}
