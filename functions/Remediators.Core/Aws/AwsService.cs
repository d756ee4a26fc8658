namespace Remediators.Core.Aws;

/// <summary>What a thin client needs to know about a service to address and sign its requests.</summary>
/// <param name="SigningName">SigV4 service name.</param>
/// <param name="EnvironmentId">Suffix of <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c>, as the SDKs spell it.</param>
/// <param name="PublicEndpoint">Region → (endpoint, signing region).</param>
public sealed record AwsService(string SigningName, string EnvironmentId, Func<string, (Uri Endpoint, string SigningRegion)> PublicEndpoint)
{
    // IAM is global: one endpoint per partition, signed for that partition's home region.
    public static readonly AwsService Iam = new("iam", "IAM", region =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? (new Uri("https://iam.cn-north-1.amazonaws.com.cn"), "cn-north-1")
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? (new Uri("https://iam.us-gov.amazonaws.com"), "us-gov-west-1")
        : (new Uri("https://iam.amazonaws.com"), "us-east-1"));

    // Organizations is global too: one endpoint per partition, in its home region.
    public static readonly AwsService Organizations = new("organizations", "ORGANIZATIONS", region =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? (new Uri("https://organizations.cn-northwest-1.amazonaws.com.cn"), "cn-northwest-1")
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? (new Uri("https://organizations.us-gov-west-1.amazonaws.com"), "us-gov-west-1")
        : (new Uri("https://organizations.us-east-1.amazonaws.com"), "us-east-1"));

    public static readonly AwsService ElasticLoadBalancingV2 = Regional("elasticloadbalancing", "ELASTIC_LOAD_BALANCING_V2");
    public static readonly AwsService Wafv2 = Regional("wafv2", "WAFV2");
    public static readonly AwsService EventBridge = Regional("events", "EVENTBRIDGE");
    public static readonly AwsService Sns = Regional("sns", "SNS");

    /// <summary>The endpoint and signing region for <paramref name="region"/>, honouring configured endpoint URLs.</summary>
    public (Uri Endpoint, string SigningRegion) Resolve(string region, Func<string, string?> environment)
    {
        var (publicEndpoint, signingRegion) = PublicEndpoint(region);
        return (AwsEndpoints.Configured(EnvironmentId, environment) ?? publicEndpoint, signingRegion);
    }

    private static AwsService Regional(string signingName, string environmentId) => new(signingName, environmentId, region =>
        (new Uri($"https://{signingName}.{region}.{AwsEndpoints.DnsSuffix(region)}"), region));
}
