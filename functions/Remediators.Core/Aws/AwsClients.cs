using System.Collections.Concurrent;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Remediators.Core.Aws;

/// <summary>
/// Makes the AWS clients a function uses, one per (kind, region), from one credentials source.
/// SDK clients (EC2, S3, DynamoDB, SQS) and the thin SigV4 clients (IAM, ELBv2, WAFv2, EventBridge, SNS) share the credentials and retry budget.
/// </summary>
/// <param name="endpoint">Where every client sends its requests (an emulator); null resolves endpoints like the SDKs (AWS_ENDPOINT_URL*, then AWS).</param>
public sealed class AwsClients(AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint = null)
{
    private readonly ConcurrentDictionary<(Type, string), object> _clients = new();

    public static AwsClients FromEnvironment() => new(
        DefaultAWSCredentialsIdentityResolver.GetCredentials(null),
        new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) },
        RetryBackoff.Default,
        AwsEndpoints.Emulator(Environment.GetEnvironmentVariable));

    public AWSCredentials Credentials => credentials;

    /// <summary>Raised for every request sent by any client made here (SDK and thin), with service and operation.</summary>
    public event Action<string, string>? RequestSent;

    public IamClient Iam(string region) => Thin(region, r => new IamClient(r, credentials, http, retry, endpoint));
    public Elbv2Client Elbv2(string region) => Thin(region, r => new Elbv2Client(r, credentials, http, retry, endpoint));
    public Wafv2Client Wafv2(string region) => Thin(region, r => new Wafv2Client(r, credentials, http, retry, endpoint));
    public EventBridgeClient EventBridge(string region) => Thin(region, r => new EventBridgeClient(r, credentials, http, retry, endpoint));
    public SnsClient Sns(string region) => Thin(region, r => new SnsClient(r, credentials, http, retry, endpoint));
    public OrganizationsClient Organizations(string region) => Thin(region, r => new OrganizationsClient(r, credentials, http, retry, endpoint));

    /// <summary>Clients like these on other credentials (a member account's role), whose requests are counted here too.</summary>
    public AwsClients WithCredentials(AWSCredentials other)
    {
        var clients = new AwsClients(other, http, retry, endpoint);
        clients.RequestSent += (service, operation) => RequestSent?.Invoke(service, operation);
        return clients;
    }

    /// <summary>An AWS SDK client for <paramref name="region"/>, with standard retries; AWS_ENDPOINT_URL* is honoured by the SDK itself.</summary>
    public TClient Sdk<TClient, TConfig>(string region, Func<AWSCredentials, TConfig, TClient> create, Action<TConfig>? configure = null)
        where TClient : AmazonServiceClient
        where TConfig : ClientConfig, new() =>
        (TClient)_clients.GetOrAdd((typeof(TClient), region), _ =>
        {
            // Setting ServiceURL (or reading it) would bypass the SDK's AWS_ENDPOINT_URL handling, so only the region is set.
            // The signing region is pinned too: with an endpoint override the SDK would otherwise sign for us-east-1.
            var config = new TConfig
            {
                RegionEndpoint = RegionEndpoint.GetBySystemName(region), AuthenticationRegion = region,
                RetryMode = RequestRetryMode.Standard, MaxErrorRetry = retry.MaxAttempts - 1,
            };
            if (endpoint is not null)
                config.ServiceURL = endpoint.ToString();
            configure?.Invoke(config);
            var client = create(credentials, config);
            client.BeforeRequestEvent += (_, e) =>
            {
                if (e is WebServiceRequestEventArgs request)
                    RequestSent?.Invoke(request.ServiceName, request.Request.GetType().Name.Replace("Request", "", StringComparison.Ordinal));
            };
            return client;
        });

    private T Thin<T>(string region, Func<string, T> create) where T : AwsProtocolClient =>
        (T)_clients.GetOrAdd((typeof(T), region), _ =>
        {
            var client = create(region);
            client.RequestSent += operation => RequestSent?.Invoke(client.Service.SigningName, operation);
            return client;
        });
}
