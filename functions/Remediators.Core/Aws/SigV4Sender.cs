using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace Remediators.Core.Aws;

/// <summary>
/// Signs one request with AWSSDK.Core's SigV4 signer and sends it. The signer lives in an Internal namespace,
/// so AWSSDK.Core is pinned and the signature-checked moto tests guard this class.
/// </summary>
internal sealed class SigV4Sender(AwsService service, string region, AWSCredentials credentials, HttpClient http, Uri? endpoint)
{
    private readonly (Uri Endpoint, string SigningRegion) _target = endpoint is null
        ? service.Resolve(region, Environment.GetEnvironmentVariable)
        : (endpoint, service.PublicEndpoint(region).SigningRegion);
    private readonly SigningConfig _config = new(service.SigningName);

    public AwsService Service => service;

    public async Task<SignedResponse> SendAsync(string contentType, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var identity = await credentials.GetCredentialsAsync();
        var request = new DefaultRequest(new UnsignedRequest(), service.SigningName)
        {
            HttpMethod = "POST",
            Endpoint = _target.Endpoint,
            ResourcePath = "/",
            AuthenticationRegion = _target.SigningRegion,
            OverrideSigningServiceName = service.SigningName,
            Content = body,
        };
        request.Headers["Content-Type"] = contentType;
        foreach (var (name, value) in headers)
            request.Headers[name] = value;
        if (!string.IsNullOrEmpty(identity.Token))
            request.Headers["X-Amz-Security-Token"] = identity.Token;
        if (Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID") is { Length: > 0 } traceId)
            request.Headers["X-Amzn-Trace-Id"] = traceId;
        new AWS4Signer().Sign(request, _config, null, credentials);

        using var message = new HttpRequestMessage(HttpMethod.Post, _target.Endpoint) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                message.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await http.SendAsync(message, cancellationToken);
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        return new SignedResponse((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken), errorType);
    }

    private sealed class UnsignedRequest : AmazonWebServiceRequest;

    private sealed class SigningConfig(string signingName) : ClientConfig(
        new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard }]))
    {
        public override string RegionEndpointServiceName => signingName;
        public override string ServiceVersion => "thin-client";
        public override string UserAgent => "remediators";
        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
            throw new NotSupportedException("Thin clients resolve their own endpoints.");
    }
}

internal sealed record SignedResponse(int StatusCode, byte[] Body, string? ErrorTypeHeader)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
