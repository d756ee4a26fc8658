using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>AWS JSON 1.1 protocol (WAFv2, EventBridge): <c>X-Amz-Target: &lt;prefix&gt;.&lt;Operation&gt;</c>, JSON in and out.</summary>
public class JsonProtocolClient(AwsService service, string targetPrefix, string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint = null)
    : AwsProtocolClient(service, region, credentials, http, retry, endpoint)
{
    public async Task<TResponse> CallAsync<TRequest, TResponse>(
        string operation, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string> { ["X-Amz-Target"] = $"{targetPrefix}.{operation}" };
        var body = await SendAsync(operation, "application/x-amz-json-1.1", JsonSerializer.SerializeToUtf8Bytes(request, requestType), headers, cancellationToken);
        // Some operations (DeleteRule, DeleteEventBus) answer with an empty body.
        return JsonSerializer.Deserialize(body.Length == 0 ? "{}"u8 : body, responseType)
            ?? throw new AwsServiceException(Service.SigningName, operation, 200, "EmptyResponse", "the response body was null");
    }
}
