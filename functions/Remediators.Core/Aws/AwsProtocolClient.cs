using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>Shared plumbing of the thin clients: sign, send, turn failures into <see cref="AwsServiceException"/>, retry transient ones.</summary>
public abstract class AwsProtocolClient
{
    private readonly SigV4Sender _sender;
    private readonly RetryBackoff _retry;

    /// <param name="endpoint">Where to send requests; null resolves it like the SDKs (AWS_ENDPOINT_URL*, then the public endpoint).</param>
    private protected AwsProtocolClient(AwsService service, string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint)
    {
        _sender = new SigV4Sender(service, region, credentials, http, endpoint);
        _retry = retry;
        Region = region;
    }

    public string Region { get; }

    public AwsService Service => _sender.Service;

    /// <summary>Counts every attempt sent, by operation; benchmarks and tests read it.</summary>
    public event Action<string>? RequestSent;

    private protected Task<byte[]> SendAsync(string operation, string contentType, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(async () =>
        {
            RequestSent?.Invoke(operation);
            var response = await _sender.SendAsync(contentType, body, headers, cancellationToken);
            if (!response.IsSuccess)
            {
                var (code, message) = AwsErrorParser.Parse(response.Body, response.ErrorTypeHeader);
                throw new AwsServiceException(_sender.Service.SigningName, operation, response.StatusCode, code, message);
            }
            return response.Body;
        }, IsTransient, cancellationToken);

    private static bool IsTransient(Exception error) => error switch
    {
        AwsServiceException aws => aws.IsTransient,
        HttpRequestException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };
}
