using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.EC2.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Remediators.Core.Aws;
using Remediators.Core.Blocklist;

namespace Remediators.Tests.Blocklist;

/// <summary>EC2 takes at most 200 values per filter, and moto does not check: the subnet lookup must chunk its filter itself.</summary>
public sealed class Ec2FilterChunkTests
{
    /// <summary>Counts at and around the limit and its multiples, and some repeated ids.</summary>
    private static Gen<string[]> SubnetIds() =>
        from count in Gen.OneOf(Gen.Elements(0, 1, 199, 200, 201, 399, 400, 401), Gen.Choose(0, 1000))
        from repeats in Gen.Choose(0, 5)
        select Enumerable.Range(0, count).Select(i => $"subnet-{i:x8}").Concat(Enumerable.Range(0, Math.Min(repeats, count)).Select(i => $"subnet-{i:x8}")).ToArray();

    [Property(MaxTest = 200)]
    public Property FilterChunks_HoldEveryDistinctIdOnceInChunksOfAtMost200() => Prop.ForAll(SubnetIds().ToArbitrary(), ids =>
    {
        var chunks = NaclDenyRules.FilterChunks(ids);
        var distinct = ids.Distinct().ToList();

        return chunks.All(c => c.Length is > 0 and <= 200)
            && chunks.SelectMany(c => c).SequenceEqual(distinct)
            && chunks.Count == (distinct.Count + 199) / 200;
    });

    [Fact]
    public async Task FindAcls_For450Subnets_SendsThreeFiltersOfAtMost200AndFindsEveryAcl()
    {
        var ec2 = DispatchProxy.Create<IAmazonEC2, AclLookup>();
        var ids = Enumerable.Range(0, 450).Select(i => $"subnet-{i:x8}").ToList();
        var rules = new NaclDenyRules(ec2, new BlocklistTable(DispatchProxy.Create<IAmazonDynamoDB, Unused>(), "table"),
            new NaclRuleRange(1, 10), TimeProvider.System, NaclDenyRules.DefaultLeaseBackoff);

        var acls = await rules.FindAclsAsync(ids, CancellationToken.None);

        var filters = ((AclLookup)(object)ec2).FilterSizes;
        Assert.Equal([200, 200, 50], filters);
        Assert.Equal(450, acls.Count);
        Assert.Equal("acl-subnet-000001c1", acls["subnet-000001c1"]);
    }

    /// <summary>Answers DescribeNetworkAcls with one ACL per subnet named in the filter, and records each filter's size.</summary>
    public class AclLookup : DispatchProxy
    {
        public List<int> FilterSizes { get; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IAmazonEC2.DescribeNetworkAclsAsync) || args?[0] is not DescribeNetworkAclsRequest request)
                throw new NotSupportedException(targetMethod?.Name);
            var subnets = request.Filters.Single(f => f.Name == "association.subnet-id").Values;
            FilterSizes.Add(subnets.Count);
            return Task.FromResult(new DescribeNetworkAclsResponse
            {
                NetworkAcls = [.. subnets.Select(s => new NetworkAcl { NetworkAclId = $"acl-{s}", Associations = [new NetworkAclAssociation { SubnetId = s }] })],
            });
        }
    }

    public class Unused : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new NotSupportedException(targetMethod?.Name);
    }
}
