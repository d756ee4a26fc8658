using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.Bench.Harness;
using static Remediators.Bench.Scenarios.ApiCalls.SampleParameters;

namespace Remediators.Bench.Scenarios.ApiCalls;

/// <summary>
/// Each revoker sample gets a group opened to the world the way the sample's API call or Config rule says, or a subnet
/// auto-assigning public addresses (with SubnetAutoAssignPublicIp=disable).
/// </summary>
internal sealed class RevokerSamples : ISampleSeeds
{
    private const string SampleGroupId = "sg-0a1b2c3d4e5f60718";
    private const string SampleSubnetId = "subnet-0a1b2c3d4e5f60718";
    private const string SweepRegion = "eu-west-2";

    public string Folder => "public-ingress-revoker";

    public string Function => "PublicIngressRevoker";

    public async Task<SampleRun?> PrepareAsync(BenchAccount account, string sample, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, sample);
        switch (sample)
        {
            case "authorize-security-group-ingress.json" or "config-restricted-ssh-noncompliant.json":
                return Run(account.Sample(path, (SampleGroupId, await OpenGroupAsync(account, BenchAccount.Region, Tcp(22, "0.0.0.0/0"), cancellationToken))));
            case "modify-security-group-rules.json":
                return Run(account.Sample(path, (SampleGroupId, await OpenGroupAsync(account, BenchAccount.Region, Tcp(3389, "0.0.0.0/0"), cancellationToken))));
            case "authorize-security-group-ingress-by-name.json":
                var name = Unique("legacy-web");
                var ec2 = Ec2(account, BenchAccount.Region);
                var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = name, Description = name }, cancellationToken)).GroupId;
                var everything = new IpPermission { IpProtocol = "-1", Ipv6Ranges = [new Ipv6Range { CidrIpv6 = "::/0" }] };
                await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [everything] }, cancellationToken);
                return Run(account.Sample(path, ("\"legacy-web\"", $"\"{name}\"")));
            case "scheduled-sweep.json":
                // A region of its own, so the sweep sees one exposed group rather than every group earlier samples left.
                await OpenGroupAsync(account, SweepRegion, Tcp(22, "0.0.0.0/0"), cancellationToken);
                var sweep = Run(account.Sample(path, (BenchAccount.Region, SweepRegion)));
                return sweep with { Invocation = sweep.Invocation with { Region = SweepRegion } };
            case "modify-subnet-attribute-map-public-ip.json" or "create-subnet.json" or "create-default-subnet.json"
                or "config-subnet-auto-assign-public-ip-noncompliant.json":
                return new(new BenchInvocation(Function, account.Sample(path, (SampleSubnetId, await PublicSubnetAsync(account, cancellationToken))),
                    Enforce(("SubnetAutoAssignPublicIp", "disable"))), "Remediated");
            default:
                return null;
        }
    }

    private SampleRun Run(string eventJson) => new(new BenchInvocation(Function, eventJson, Enforce()), "Remediated");

    private static async Task<string> OpenGroupAsync(BenchAccount account, string region, IpPermission permission, CancellationToken cancellationToken)
    {
        var ec2 = Ec2(account, region);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" }, cancellationToken)).Vpc.VpcId;
        var name = Unique("bench");
        var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = name, Description = name }, cancellationToken)).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [permission] }, cancellationToken);
        return group;
    }

    /// <summary>A subnet that gives every instance launched in it a public IPv4 address.</summary>
    private static async Task<string> PublicSubnetAsync(BenchAccount account, CancellationToken cancellationToken)
    {
        var ec2 = Ec2(account, BenchAccount.Region);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.1.0.0/16" }, cancellationToken)).Vpc.VpcId;
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = "10.1.1.0/24" }, cancellationToken)).Subnet.SubnetId;
        await ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnet, MapPublicIpOnLaunch = true }, cancellationToken);
        return subnet;
    }

    private static IpPermission Tcp(int port, string cidr) =>
        new() { IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv4Ranges = [new IpRange { CidrIp = cidr }] };

    private static AmazonEC2Client Ec2(BenchAccount account, string region) =>
        account.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(region, (c, config) => new AmazonEC2Client(c, config));
}
