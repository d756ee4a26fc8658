using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.Core.Aws;

namespace PublicIngressRevoker;

/// <summary>The EC2 and ELBv2 verbs the revoker calls, translated into our records and meanings.</summary>
public interface ISecurityGroupGateway
{
    /// <summary>Rules of the given groups, or of every group in the region when <paramref name="groupIds"/> is null.</summary>
    Task<IReadOnlyList<IngressRule>> DescribeRulesAsync(IReadOnlyList<string>? groupIds, CancellationToken cancellationToken);

    /// <summary>Tags by group id; groups that no longer exist are absent.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> DescribeGroupTagsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken);

    /// <summary>The group of that name in the region's default VPC (a by-name request can mean no other); none without a default VPC.</summary>
    Task<IReadOnlyList<string>> FindGroupIdsByNameAsync(string groupName, CancellationToken cancellationToken);

    /// <summary>The prefix lists by id, with the entries of customer-managed ones; lists that no longer exist are absent.</summary>
    Task<IReadOnlyDictionary<string, PrefixList>> DescribePrefixListsAsync(IReadOnlyList<string> prefixListIds, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="groupIds"/> front an application load balancer.</summary>
    Task<IReadOnlySet<string>> FindAlbGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken);

    /// <summary>Revokes ingress rules by id; rules already gone count as revoked.</summary>
    Task RevokeIngressAsync(string groupId, IReadOnlyList<string> ruleIds, CancellationToken cancellationToken);

    /// <summary>Adds ingress grants; grants that already exist count as added.</summary>
    Task AuthorizeIngressAsync(string groupId, IReadOnlyList<IngressGrant> grants, CancellationToken cancellationToken);
}

public sealed class SecurityGroupGateway(IAmazonEC2 ec2, Elbv2Client elbv2) : ISecurityGroupGateway
{
    public static readonly string[] IamActions =
    [
        "ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups", "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs",
        "ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries",
        "ec2:RevokeSecurityGroupIngress", "elasticloadbalancing:DescribeLoadBalancers",
    ];

    /// <summary>Adding ingress is needed only to narrow ALB rules or grant trusted networks; template.yaml grants it only then.</summary>
    public static readonly FeatureActions[] FeatureIamActions = [new("RevokerAddsIngress", ["ec2:AuthorizeSecurityGroupIngress"])];

    /// <summary>EC2 takes at most 200 values in one filter, so every id list is sent in chunks of this size.</summary>
    public const int MaxFilterValues = 200;

    /// <summary>The filter lists to send for <paramref name="values"/>: in order, none longer than <see cref="MaxFilterValues"/>.</summary>
    public static IEnumerable<List<string>> FilterChunks(IReadOnlyList<string> values) => values.Chunk(MaxFilterValues).Select(chunk => chunk.ToList());

    public async Task<IReadOnlyList<IngressRule>> DescribeRulesAsync(IReadOnlyList<string>? groupIds, CancellationToken cancellationToken)
    {
        if (groupIds is null)
            return await DescribeRulePagesAsync(new DescribeSecurityGroupRulesRequest { MaxResults = 1000 }, cancellationToken);
        var rules = new List<IngressRule>();
        foreach (var chunk in FilterChunks(groupIds))
            rules.AddRange(await DescribeRulePagesAsync(
                new DescribeSecurityGroupRulesRequest { MaxResults = 1000, Filters = [new Filter("group-id", chunk)] }, cancellationToken));
        return rules;
    }

    private async Task<List<IngressRule>> DescribeRulePagesAsync(DescribeSecurityGroupRulesRequest request, CancellationToken cancellationToken)
    {
        var rules = new List<IngressRule>();
        do
        {
            var response = await ec2.DescribeSecurityGroupRulesAsync(request, cancellationToken);
            rules.AddRange((response.SecurityGroupRules ?? []).Select(ToIngressRule));
            request.NextToken = response.NextToken;
        }
        while (!string.IsNullOrEmpty(request.NextToken));
        return rules;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> DescribeGroupTagsAsync(
        IReadOnlyList<string> groupIds, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var chunk in FilterChunks(groupIds))
        {
            var request = new DescribeSecurityGroupsRequest { Filters = [new Filter("group-id", chunk)] };
            do
            {
                var response = await ec2.DescribeSecurityGroupsAsync(request, cancellationToken);
                foreach (var group in response.SecurityGroups ?? [])
                    tags[group.GroupId] = (group.Tags ?? []).ToDictionary(t => t.Key, t => t.Value ?? "");
                request.NextToken = response.NextToken;
            }
            while (!string.IsNullOrEmpty(request.NextToken));
        }
        return tags;
    }

    public async Task<IReadOnlyList<string>> FindGroupIdsByNameAsync(string groupName, CancellationToken cancellationToken)
    {
        var vpcs = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [new Filter("is-default", ["true"])] }, cancellationToken);
        if ((vpcs.Vpcs ?? []).FirstOrDefault() is not { VpcId: var defaultVpc })
            return [];
        var response = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest
        {
            Filters = [new Filter("group-name", [groupName]), new Filter("vpc-id", [defaultVpc])],
        }, cancellationToken);
        return (response.SecurityGroups ?? []).Select(g => g.GroupId).ToList();
    }

    public async Task<IReadOnlyDictionary<string, PrefixList>> DescribePrefixListsAsync(IReadOnlyList<string> prefixListIds, CancellationToken cancellationToken)
    {
        var lists = new Dictionary<string, PrefixList>();
        foreach (var chunk in FilterChunks(prefixListIds))
        {
            var request = new DescribeManagedPrefixListsRequest { Filters = [new Filter("prefix-list-id", chunk)] };
            do
            {
                var response = await ec2.DescribeManagedPrefixListsAsync(request, cancellationToken);
                foreach (var list in response.PrefixLists ?? [])
                {
                    // AWS-managed lists (owner "AWS", names com.amazonaws.*) hold service ranges: their entries are never needed.
                    var awsManaged = list.OwnerId == "AWS" || (list.PrefixListName ?? "").StartsWith("com.amazonaws.", StringComparison.Ordinal);
                    lists[list.PrefixListId] = new PrefixList(list.PrefixListId, list.PrefixListName ?? "", awsManaged,
                        awsManaged ? [] : await PrefixListEntriesAsync(list.PrefixListId, cancellationToken));
                }
                request.NextToken = response.NextToken;
            }
            while (!string.IsNullOrEmpty(request.NextToken));
        }
        return lists;
    }

    private async Task<IReadOnlyList<string>> PrefixListEntriesAsync(string prefixListId, CancellationToken cancellationToken)
    {
        var request = new GetManagedPrefixListEntriesRequest { PrefixListId = prefixListId };
        var cidrs = new List<string>();
        do
        {
            var response = await ec2.GetManagedPrefixListEntriesAsync(request, cancellationToken);
            cidrs.AddRange((response.Entries ?? []).Select(e => e.Cidr));
            request.NextToken = response.NextToken;
        }
        while (!string.IsNullOrEmpty(request.NextToken));
        return cidrs;
    }

    public async Task<IReadOnlySet<string>> FindAlbGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken)
    {
        try
        {
            var balancers = await elbv2.DescribeLoadBalancersAsync(cancellationToken);
            return balancers.Where(lb => lb.Type == "application").SelectMany(lb => lb.SecurityGroups).Intersect(groupIds).ToHashSet();
        }
        catch (AwsServiceException error) when (error.ErrorCode is "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation")
        {
            // Without ELBv2 read access, an ALB still shows through its network interfaces ("ELB app/<name>/<id>").
            var albGroups = new HashSet<string>();
            foreach (var chunk in FilterChunks(groupIds))
            {
                var request = new DescribeNetworkInterfacesRequest { Filters = [new Filter("group-id", chunk), new Filter("description", ["ELB app/*"])] };
                do
                {
                    var response = await ec2.DescribeNetworkInterfacesAsync(request, cancellationToken);
                    albGroups.UnionWith((response.NetworkInterfaces ?? []).SelectMany(eni => eni.Groups ?? []).Select(g => g.GroupId).Intersect(chunk));
                    request.NextToken = response.NextToken;
                }
                while (!string.IsNullOrEmpty(request.NextToken));
            }
            return albGroups;
        }
    }

    public async Task RevokeIngressAsync(string groupId, IReadOnlyList<string> ruleIds, CancellationToken cancellationToken)
    {
        try
        {
            await ec2.RevokeSecurityGroupIngressAsync(
                new RevokeSecurityGroupIngressRequest { GroupId = groupId, SecurityGroupRuleIds = [.. ruleIds] }, cancellationToken);
        }
        catch (AmazonEC2Exception error) when (error.ErrorCode is "InvalidPermission.NotFound" or "InvalidSecurityGroupRuleId.NotFound")
        {
            // One missing rule fails the whole call: revoke the rest one by one, each missing one already done.
            if (ruleIds.Count > 1)
                foreach (var ruleId in ruleIds)
                    await RevokeIngressAsync(groupId, [ruleId], cancellationToken);
        }
    }

    public async Task AuthorizeIngressAsync(string groupId, IReadOnlyList<IngressGrant> grants, CancellationToken cancellationToken)
    {
        try
        {
            await ec2.AuthorizeSecurityGroupIngressAsync(
                new AuthorizeSecurityGroupIngressRequest { GroupId = groupId, IpPermissions = [.. grants.Select(ToPermission)] }, cancellationToken);
        }
        catch (AmazonEC2Exception error) when (error.ErrorCode == "InvalidPermission.Duplicate")
        {
            if (grants.Count > 1)
                foreach (var grant in grants)
                    await AuthorizeIngressAsync(groupId, [grant], cancellationToken);
        }
    }

    private static IngressRule ToIngressRule(SecurityGroupRule r) => new(
        r.SecurityGroupRuleId, r.GroupId, r.IsEgress ?? false, r.IpProtocol, r.FromPort ?? -1, r.ToPort ?? -1,
        r.CidrIpv4, r.CidrIpv6, r.PrefixListId, r.ReferencedGroupInfo?.GroupId, r.Description);

    private static IpPermission ToPermission(IngressGrant grant) => new()
    {
        IpProtocol = grant.Protocol,
        FromPort = grant.Protocol == "-1" ? null : grant.FromPort,
        ToPort = grant.Protocol == "-1" ? null : grant.ToPort,
        Ipv4Ranges = grant.IsIpv6 ? null : [new IpRange { CidrIp = grant.Cidr, Description = grant.Description }],
        Ipv6Ranges = grant.IsIpv6 ? [new Ipv6Range { CidrIpv6 = grant.Cidr, Description = grant.Description }] : null,
    };
}
