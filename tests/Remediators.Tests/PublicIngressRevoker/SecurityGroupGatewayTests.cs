using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>EC2 refuses a filter with more than 200 values (moto does not), so a large account's sweep must send chunks.</summary>
public sealed class SecurityGroupGatewayTests
{
    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(1, new[] { 1 })]
    [InlineData(200, new[] { 200 })]
    [InlineData(201, new[] { 200, 1 })]
    [InlineData(450, new[] { 200, 200, 50 })]
    public void FilterChunks_SendEveryIdOnceInOrderAndNeverMoreThan200AtATime(int count, int[] sizes)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"sg-{i:x17}").ToList();

        var chunks = SecurityGroupGateway.FilterChunks(ids).ToList();

        Assert.Equal(sizes, chunks.Select(c => c.Count));
        Assert.Equal(ids, chunks.SelectMany(c => c));
    }
}
