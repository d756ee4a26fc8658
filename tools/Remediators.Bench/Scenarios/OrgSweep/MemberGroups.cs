using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.Bench.Harness;

namespace Remediators.Bench.Scenarios.OrgSweep;

/// <summary>
/// Security groups seeded in each member account and region, each with one rule open to the world (SSH from 0.0.0.0/0) and
/// one private rule (PostgreSQL from 10.0.0.0/8); and what is left of them, read straight from moto afterwards.
/// </summary>
internal sealed class MemberGroups(BenchMembers members, IReadOnlyList<string> regions, int groupsPerRegion)
{
    public const string WorldOpen = "0.0.0.0/0";
    public const string Private = "10.0.0.0/8";
    private const int Parallelism = 8;

    private readonly Dictionary<(string Account, string Region), List<string>> _groups = [];

    public int Count => _groups.Values.Sum(g => g.Count);

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var places = members.Accounts.SelectMany(a => regions.Select(r => (Account: a, Region: r))).ToList();
        foreach (var place in places)
            _groups[place] = [];
        await Parallel.ForEachAsync(places, Options(cancellationToken), async (place, token) =>
        {
            var ec2 = Ec2(place.Account, place.Region);
            var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.20.0.0/16" }, token)).Vpc.VpcId;
            for (var i = 0; i < groupsPerRegion; i++)
            {
                var group = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
                {
                    VpcId = vpc, GroupName = string.Create(CultureInfo.InvariantCulture, $"world-open-{i:D3}"), Description = "seeded by org-sweep",
                }, token)).GroupId;
                await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
                {
                    GroupId = group, IpPermissions = [Tcp(22, WorldOpen), Tcp(5432, Private)],
                }, token);
                lock (_groups)
                    _groups[place].Add(group);
            }
        });
    }

    /// <summary>How many seeded groups have no world-open ingress left, and how many still have their private rule.</summary>
    public async Task<(int Fixed, int PrivateKept)> ReadAsync(CancellationToken cancellationToken)
    {
        var fixedGroups = 0;
        var privateKept = 0;
        await Parallel.ForEachAsync(_groups, Options(cancellationToken), async (entry, token) =>
        {
            var rules = (await Ec2(entry.Key.Account, entry.Key.Region).DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest
            {
                Filters = [new Filter("group-id", entry.Value)], MaxResults = 1000,
            }, token)).SecurityGroupRules.Where(r => r.IsEgress != true).ToLookup(r => r.GroupId);
            Interlocked.Add(ref fixedGroups, entry.Value.Count(g => !rules[g].Any(r => r.CidrIpv4 == WorldOpen)));
            Interlocked.Add(ref privateKept, entry.Value.Count(g => rules[g].Any(r => r.CidrIpv4 == Private)));
        });
        return (fixedGroups, privateKept);
    }

    private AmazonEC2Client Ec2(string account, string region) =>
        members.SeedClients(account).Sdk<AmazonEC2Client, AmazonEC2Config>(region, (credentials, config) => new AmazonEC2Client(credentials, config));

    private static ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    private static IpPermission Tcp(int port, string cidr) => new() { IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv4Ranges = [new IpRange { CidrIp = cidr }] };
}
