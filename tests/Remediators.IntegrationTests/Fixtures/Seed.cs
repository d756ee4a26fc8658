using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SQS;
using Remediators.Core.Aws;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>Seeds moto through real AWS APIs: the SDK clients production uses, and the thin clients for the rest.</summary>
public static class Seed
{
    public static AmazonEC2Client Ec2(this MotoServer moto, string region = MotoServer.Region) =>
        moto.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(region, (c, config) => new AmazonEC2Client(c, config));

    public static AmazonSQSClient Sqs(this MotoServer moto, string region = MotoServer.Region) =>
        moto.Clients.Sdk<AmazonSQSClient, AmazonSQSConfig>(region, (c, config) => new AmazonSQSClient(c, config));

    public static async Task<string> CreateVpcAsync(this MotoServer moto, string cidr = "10.0.0.0/16")
    {
        var vpc = await moto.Ec2().CreateVpcAsync(new CreateVpcRequest { CidrBlock = cidr });
        return vpc.Vpc.VpcId;
    }

    public static async Task<string> CreateSubnetAsync(this MotoServer moto, string vpcId, string cidr, string zone)
    {
        var subnet = await moto.Ec2().CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpcId, CidrBlock = cidr, AvailabilityZone = zone });
        return subnet.Subnet.SubnetId;
    }

    /// <param name="vpcId">Null creates the group in the region's default VPC.</param>
    public static async Task<string> CreateSecurityGroupAsync(this MotoServer moto, string? vpcId, string name, params Tag[] tags)
    {
        var request = new CreateSecurityGroupRequest { VpcId = vpcId, GroupName = name, Description = name };
        if (tags.Length > 0)
            request.TagSpecifications = [new TagSpecification { ResourceType = ResourceType.SecurityGroup, Tags = [.. tags] }];
        return (await moto.Ec2().CreateSecurityGroupAsync(request)).GroupId;
    }

    public static Task OpenIngressAsync(this MotoServer moto, string groupId, params IpPermission[] permissions) =>
        moto.Ec2().AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = groupId, IpPermissions = [.. permissions] });

    public static IpPermission Tcp(int from, int to, string cidr, string? description = null) => Permission("tcp", from, to, cidr, description);

    public static IpPermission AllTraffic(string cidr) => Permission("-1", null, null, cidr, null);

    public static IpPermission FromGroup(string protocol, int from, int to, string groupId) => new()
    {
        IpProtocol = protocol, FromPort = from, ToPort = to, UserIdGroupPairs = [new UserIdGroupPair { GroupId = groupId }],
    };

    public static async Task<List<SecurityGroupRule>> IngressRulesAsync(this MotoServer moto, string groupId, string region = MotoServer.Region)
    {
        var response = await moto.Ec2(region).DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest
        {
            Filters = [new Filter("group-id", [groupId])],
        });
        return [.. (response.SecurityGroupRules ?? []).Where(r => r.IsEgress != true)];
    }

    /// <summary>An application load balancer in two new subnets of <paramref name="vpcId"/>, fronted by <paramref name="groupId"/>.</summary>
    public static async Task<string> CreateApplicationLoadBalancerAsync(this MotoServer moto, string vpcId, string groupId, string name, string cidrPrefix)
    {
        var subnetA = await moto.CreateSubnetAsync(vpcId, $"{cidrPrefix}.1.0/24", "us-east-1a");
        var subnetB = await moto.CreateSubnetAsync(vpcId, $"{cidrPrefix}.2.0/24", "us-east-1b");
        var elb = new QueryProtocolClient(AwsService.ElasticLoadBalancingV2, "2015-12-01", MotoServer.Region, moto.Credentials, new HttpClient(), RetryBackoff.Default);
        var result = await elb.CallAsync("CreateLoadBalancer",
        [
            new("Name", name), new("Type", "application"), new("Scheme", "internet-facing"),
            new("Subnets.member.1", subnetA), new("Subnets.member.2", subnetB), new("SecurityGroups.member.1", groupId),
        ], CancellationToken.None);
        return result.Members("LoadBalancers").Single().Text("LoadBalancerArn")!;
    }

    private static IpPermission Permission(string protocol, int? from, int? to, string cidr, string? description)
    {
        var permission = new IpPermission { IpProtocol = protocol, FromPort = from, ToPort = to };
        if (cidr.Contains(':', StringComparison.Ordinal))
            permission.Ipv6Ranges = [new Ipv6Range { CidrIpv6 = cidr, Description = description }];
        else
            permission.Ipv4Ranges = [new IpRange { CidrIp = cidr, Description = description }];
        return permission;
    }
}
