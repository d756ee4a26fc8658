using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Remediators.Core.Hosting;

/// <summary>
/// Client for the Lambda Runtime API (2018-06-01), the part of Amazon.Lambda.RuntimeSupport we need:
/// fetch the next invocation, post its response or error, and report an init error.
/// </summary>
public sealed class RuntimeApiClient(HttpClient http)
{
    private const string ApiVersion = "2018-06-01";
    private const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    private const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    private const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    private const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    public static RuntimeApiClient ForHost(string runtimeApiHost) => new(new HttpClient
    {
        BaseAddress = new Uri($"http://{runtimeApiHost}/{ApiVersion}/runtime/"),
        // GET next blocks until an event arrives, which can be much longer than HttpClient's default.
        Timeout = Timeout.InfiniteTimeSpan,
    });

    public async Task<(InvocationContext Context, byte[] Payload)> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("invocation/next", cancellationToken);
        response.EnsureSuccessStatusCode();
        var headers = response.Headers;
        var requestId = SingleHeader(headers, RequestIdHeader)
            ?? throw new InvalidOperationException($"Runtime API response has no {RequestIdHeader} header.");
        var deadline = long.TryParse(SingleHeader(headers, DeadlineHeader), out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.MaxValue;
        var context = new InvocationContext(
            requestId, deadline, SingleHeader(headers, FunctionArnHeader), SingleHeader(headers, TraceIdHeader));
        return (context, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    public async Task SendResponseAsync(string requestId, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync($"invocation/{requestId}/response", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public Task ReportInvocationErrorAsync(string requestId, Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync($"invocation/{requestId}/error", error, cancellationToken);

    public Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync("init/error", error, cancellationToken);

    private async Task PostErrorAsync(string path, Exception error, CancellationToken cancellationToken)
    {
        var errorType = error.GetType().Name;
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new RuntimeError(error.Message, errorType, SplitStackTrace(error)), HostingJsonContext.Default.RuntimeError);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string[] SplitStackTrace(Exception error)
    {
        var text = new StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
        {
            text.AppendLine($"{e.GetType().FullName}: {e.Message}");
            text.AppendLine(e.StackTrace);
        }
        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string? SingleHeader(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

public sealed record RuntimeError(string ErrorMessage, string ErrorType, string[] StackTrace);
