using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>Stands in for AWSSDK.ElasticLoadBalancingV2 (not in this registry): the ELBv2 verbs the remediators call.</summary>
public sealed class Elbv2Client(string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint = null)
    : QueryProtocolClient(AwsService.ElasticLoadBalancingV2, "2015-12-01", region, credentials, http, retry, endpoint)
{
    /// <summary>Every load balancer in the region (all pages), with its type and security groups.</summary>
    public async Task<IReadOnlyList<LoadBalancer>> DescribeLoadBalancersAsync(CancellationToken cancellationToken)
    {
        var balancers = new List<LoadBalancer>();
        string? marker = null;
        do
        {
            var result = await CallAsync("DescribeLoadBalancers", marker is null ? [] : [new("Marker", marker)], cancellationToken);
            balancers.AddRange(result.Members("LoadBalancers").Select(lb => new LoadBalancer(
                lb.Text("LoadBalancerArn")!, lb.Text("Type") ?? "application",
                lb.Child("SecurityGroups")?.Elements().Select(g => g.Value).ToArray() ?? [])));
            marker = string.IsNullOrEmpty(result.Text("NextMarker")) ? null : result.Text("NextMarker");
        }
        while (marker is not null);
        return balancers;
    }
}

public sealed record LoadBalancer(string Arn, string Type, IReadOnlyList<string> SecurityGroups);
