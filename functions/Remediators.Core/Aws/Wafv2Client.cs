using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>The two IP-set verbs a read-modify-write needs; tests wrap the real client to inject a concurrent writer.</summary>
public interface IIpSetClient
{
    Task<GetIpSetResponse> GetIpSetAsync(IpSetReference set, CancellationToken cancellationToken);

    Task<UpdateIpSetResponse> UpdateIpSetAsync(
        IpSetReference set, IReadOnlyList<string> addresses, string lockToken, CancellationToken cancellationToken, string? description = null);
}

/// <summary>Stands in for AWSSDK.WAFV2 (not in this registry): the IP-set verbs the remediators call.</summary>
public sealed class Wafv2Client(string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint = null)
    : JsonProtocolClient(AwsService.Wafv2, "AWSWAF_20190729", region, credentials, http, retry, endpoint), IIpSetClient
{
    public async Task<IpSetReference> CreateIpSetAsync(string name, string scope, string ipAddressVersion, CancellationToken cancellationToken)
    {
        var response = await CallAsync("CreateIPSet", new CreateIpSetRequest(name, scope, ipAddressVersion, []),
            AwsJsonContext.Default.CreateIpSetRequest, AwsJsonContext.Default.CreateIpSetResponse, cancellationToken);
        return new IpSetReference(response.Summary.Name, scope, response.Summary.Id);
    }

    public Task<GetIpSetResponse> GetIpSetAsync(IpSetReference set, CancellationToken cancellationToken) =>
        CallAsync("GetIPSet", new GetIpSetRequest(set.Name, set.Scope, set.Id),
            AwsJsonContext.Default.GetIpSetRequest, AwsJsonContext.Default.GetIpSetResponse, cancellationToken);

    /// <summary>
    /// Replaces the set's whole address list; a stale <paramref name="lockToken"/> fails with WAFOptimisticLockException.
    /// UpdateIPSet also replaces the description, so pass the one GetIPSet returned to keep it.
    /// </summary>
    public Task<UpdateIpSetResponse> UpdateIpSetAsync(
        IpSetReference set, IReadOnlyList<string> addresses, string lockToken, CancellationToken cancellationToken, string? description = null) =>
        CallAsync("UpdateIPSet", new UpdateIpSetRequest(set.Name, set.Scope, set.Id, addresses, lockToken) { Description = description },
            AwsJsonContext.Default.UpdateIpSetRequest, AwsJsonContext.Default.UpdateIpSetResponse, cancellationToken);
}

/// <summary>Names an IP set: WAF addresses sets by name, scope and id (all three are in its ARN).</summary>
public sealed record IpSetReference(string Name, string Scope, string Id)
{
    /// <summary>Parses <c>arn:aws:wafv2:region:account:regional|global/ipset/name/id</c>.</summary>
    public static IpSetReference FromArn(string arn)
    {
        var parts = arn.Split(':', 6);
        var path = parts.Length == 6 ? parts[5].Split('/') : [];
        if (parts.Length != 6 || parts[2] != "wafv2" || path.Length != 4 || path[1] != "ipset")
            throw new FormatException($"'{arn}' is not a WAFv2 IP set ARN (arn:aws:wafv2:<region>:<account>:regional/ipset/<name>/<id>).");
        var scope = path[0] switch
        {
            "regional" => "REGIONAL",
            "global" => "CLOUDFRONT",
            _ => throw new FormatException($"'{arn}' has an unknown IP set scope '{path[0]}'."),
        };
        return new IpSetReference(path[2], scope, path[3]);
    }

    /// <summary>The region an IP set ARN names: its API must be called there (us-east-1 for CLOUDFRONT sets).</summary>
    public static string RegionOf(string arn)
    {
        FromArn(arn);
        return arn.Split(':')[3];
    }
}

public sealed record CreateIpSetRequest(string Name, string Scope, string IPAddressVersion, IReadOnlyList<string> Addresses);

public sealed record CreateIpSetResponse(IpSetSummary Summary);

public sealed record IpSetSummary(string Name, string Id, string ARN, string LockToken);

public sealed record GetIpSetRequest(string Name, string Scope, string Id);

public sealed record GetIpSetResponse(IpSet IPSet, string LockToken);

public sealed record IpSet(string Name, string Id, string ARN, string IPAddressVersion, IReadOnlyList<string> Addresses)
{
    public string? Description { get; init; }
}

public sealed record UpdateIpSetRequest(string Name, string Scope, string Id, IReadOnlyList<string> Addresses, string LockToken)
{
    public string? Description { get; init; }
}

public sealed record UpdateIpSetResponse(string NextLockToken);
