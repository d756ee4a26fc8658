using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Remediators.Bench.Proxy;

/// <summary>One call through the proxy: what it was, what answered it, and when.</summary>
public sealed record ProxiedCall(AwsOperation Operation, int StatusCode, FaultKind? Fault, DateTimeOffset At, string? IpSetId)
{
    /// <summary>The access key that signed the call: runs signing with their own keys take their own calls.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>When the request reached the proxy (<see cref="At"/> is when it was answered): the instant WAF's quota counts.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>For an answered sts:AssumeRole, the access key it issued: the calls signed with it are the session's.</summary>
    public string? IssuedAccessKeyId { get; init; }
}

/// <summary>
/// A local HTTP proxy in front of moto that counts every AWS call by operation and, as its <see cref="FaultPlan"/>
/// says, fails some of them (5xx, throttling, connection resets, access denied) or enforces WAF's write quota per IP set.
/// Functions reach it through AWS_ENDPOINT_URL; requests are forwarded byte for byte, Host included, so SigV4
/// signatures still verify at moto. Calls are listed per signing access key, so concurrent runs that sign with
/// different keys can each take their own.
/// </summary>
public sealed partial class AwsProxy : IAsyncDisposable
{
    private static readonly string[] HopByHopHeaders = ["Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Expect"];
    private static readonly string[] WafWrites = ["CreateIPSet", "UpdateIPSet", "DeleteIPSet"];
    private static readonly AwsOperation AssumeRole = new("sts", "AssumeRole");

    private readonly WebApplication _server;
    private readonly Uri _target;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<ProxiedCall> _calls = [];
    private readonly Dictionary<string, DateTimeOffset> _lastWafWrite = [];
    private readonly Dictionary<string, Queue<FaultKind>> _armed = new(StringComparer.Ordinal);
    private readonly Lock _dice = new();
    private readonly Random _random;

    private AwsProxy(WebApplication server, Uri target, FaultPlan plan)
    {
        _server = server;
        _target = target;
        Plan = plan;
        _random = new Random(plan.Seed);
    }

    public Uri Endpoint { get; private set; } = null!;

    public FaultPlan Plan { get; set; }

    /// <summary>
    /// Runs before a call (its operation, its signing key) goes on to moto, never for one the proxy answers itself with a
    /// fault: where a test's competing writer acts, between a caller's read and its write, so the write moto gets carries a
    /// stale lock token.
    /// </summary>
    public Func<AwsOperation, string?, Task>? BeforeForwarding { get; set; }

    public static async Task<AwsProxy> StartAsync(Uri target, FaultPlan plan)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var server = builder.Build();
        var proxy = new AwsProxy(server, target, plan);
        server.Run(proxy.HandleAsync);
        await server.StartAsync();
        proxy.Endpoint = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return proxy;
    }

    /// <summary>Every call since the start or the last take, and forgets them.</summary>
    public IReadOnlyList<ProxiedCall> TakeCalls() => Take(_ => true);

    /// <summary>The calls signed with <paramref name="accessKeyId"/> since the last take, and forgets them; other callers' calls stay.</summary>
    public IReadOnlyList<ProxiedCall> TakeCalls(string accessKeyId) => Take(call => call.AccessKeyId == accessKeyId);

    /// <summary>Answers the next call of <paramref name="operation"/> (e.g. CreateNetworkAclEntry) with <paramref name="fault"/>, whatever the plan says.</summary>
    public void FailNext(string operation, FaultKind fault)
    {
        lock (_dice)
        {
            if (!_armed.TryGetValue(operation, out var faults))
                _armed[operation] = faults = new Queue<FaultKind>();
            faults.Enqueue(fault);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var url = new Uri(_target, request.Path + request.QueryString);
        var target = request.Headers["X-Amz-Target"].ToString();
        var operation = AwsOperation.Classify(request.Method, url, request.Headers.Authorization.ToString(), target, request.ContentType, body);
        var ipSetId = operation.Service == "wafv2" && WafWrites.Contains(operation.Name) ? IpSetId(body) : null;
        var caller = AccessKeyId(request.Headers.Authorization.ToString());
        var fault = ChooseFault(operation, ipSetId);
        if (BeforeForwarding is { } hook && fault is null or FaultKind.ResetAfterForwarding)
            await hook(operation, caller);
        // Each call is listed before its answer leaves, so a caller holding the answer finds the call already listed.
        void Record(int status, string? issuedAccessKeyId = null)
        {
            lock (_calls)
            {
                _calls.Add(new ProxiedCall(operation, status, fault, DateTimeOffset.UtcNow, ipSetId)
                {
                    AccessKeyId = caller, ReceivedAt = receivedAt, IssuedAccessKeyId = issuedAccessKeyId,
                });
            }
        }

        switch (fault)
        {
            case FaultKind.ResetBeforeForwarding:
                Record(0);
                context.Abort();
                return;
            case FaultKind.ServerError or FaultKind.Throttling or FaultKind.WafQuota or FaultKind.AccessDenied:
                var (status, code, bytes) = FaultAnswer(operation, fault.Value, json: target.Length > 0);
                Record(status);
                await WriteFaultAsync(context.Response, status, code, bytes, json: target.Length > 0);
                return;
        }
        HttpResponseMessage answer;
        try
        {
            answer = await ForwardAsync(request, url, body);
        }
        catch (HttpRequestException)
        {
            Record(502);
            context.Abort();
            return;
        }
        using (answer)
        {
            Record((int)answer.StatusCode, operation == AssumeRole && answer.IsSuccessStatusCode ? IssuedAccessKeyId(await answer.Content.ReadAsStringAsync()) : null);
            if (fault == FaultKind.ResetAfterForwarding)
                context.Abort();
            else
                await CopyAsync(answer, context.Response);
        }
    }

    private List<ProxiedCall> Take(Func<ProxiedCall, bool> belongs)
    {
        lock (_calls)
        {
            var taken = _calls.Where(belongs).ToList();
            _calls.RemoveAll(call => belongs(call));
            return taken;
        }
    }

    private FaultKind? ChooseFault(AwsOperation operation, string? ipSetId)
    {
        lock (_dice)
        {
            if (_armed.TryGetValue(operation.Name, out var armed) && armed.TryDequeue(out var next))
                return next;
            if (Plan.DeniedOperations.Contains(operation.Name))
                return FaultKind.AccessDenied;
            if (ipSetId is not null && Plan.EnforceWafWriteQuota
                && _lastWafWrite.TryGetValue(ipSetId, out var last) && DateTimeOffset.UtcNow - last < FaultPlan.WafWriteInterval)
            {
                return FaultKind.WafQuota;
            }
            FaultKind? fault = _random.NextDouble() < Plan.FailureRate
                ? (FaultKind)_random.Next((int)FaultKind.ResetAfterForwarding + 1)
                : null;
            // A write that reaches WAF counts against its quota, whether or not its answer comes back.
            if (ipSetId is not null && fault is null or FaultKind.ResetAfterForwarding)
                _lastWafWrite[ipSetId] = DateTimeOffset.UtcNow;
            return fault;
        }
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpRequest request, Uri url, byte[] body)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), url);
        if (body.Length > 0 || request.Method is "POST" or "PUT")
            message.Content = new ByteArrayContent(body);
        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                message.Headers.Host = values.ToString();
            else if (HopByHopHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                continue;
            else if (!message.Headers.TryAddWithoutValidation(name, values.ToArray()))
                message.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        return await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
    }

    private static async Task CopyAsync(HttpResponseMessage answer, HttpResponse response)
    {
        var body = await answer.Content.ReadAsByteArrayAsync();
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!HopByHopHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                response.Headers[name] = values.ToArray();
        }
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    /// <summary>The status, error code and body the service would answer with for <paramref name="fault"/>.</summary>
    private static (int Status, string Code, byte[] Body) FaultAnswer(AwsOperation operation, FaultKind fault, bool json)
    {
        var (status, code, message) = fault switch
        {
            FaultKind.WafQuota => (400, "WAFLimitsExceededException", "You exceeded the rate limit for IP set writes."),
            FaultKind.AccessDenied => operation.Service switch
            {
                "ec2" => (403, "UnauthorizedOperation", "You are not authorized to perform this operation."),
                _ when json => (400, "AccessDeniedException", $"User is not authorized to perform: {operation.IamAction}"),
                _ => (403, "AccessDenied", $"User is not authorized to perform: {operation.IamAction}"),
            },
            FaultKind.Throttling => operation.Service switch
            {
                "s3" => (503, "SlowDown", "Please reduce your request rate."),
                "ec2" => (503, "RequestLimitExceeded", "Request limit exceeded."),
                _ when json => (400, "ThrottlingException", "Rate exceeded"),
                _ => (400, "Throttling", "Rate exceeded"),
            },
            _ => (500, json ? "InternalFailure" : "InternalError", "We encountered an internal error. Please try again."),
        };
        var body = json
            ? JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = message })
            : operation.Service switch
            {
                "ec2" => $"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>proxy</RequestID></Response>",
                "s3" => $"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>proxy</RequestId></Error>",
                _ => $"<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>proxy</RequestId></ErrorResponse>",
            };
        return (status, code, Encoding.UTF8.GetBytes(body));
    }

    private static async Task WriteFaultAsync(HttpResponse response, int status, string code, byte[] body, bool json)
    {
        response.StatusCode = status;
        response.ContentType = json ? "application/x-amz-json-1.1" : "text/xml";
        if (json)
            response.Headers["x-amzn-ErrorType"] = code;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    private static string? AccessKeyId(string? authorization) =>
        authorization is not null && SigningKey().Match(authorization) is { Success: true } key ? key.Groups["key"].Value : null;

    private static string? IpSetId(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("Id", out var id) ? id.GetString()
                : document.RootElement.TryGetProperty("Name", out var name) ? "name:" + name.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? IssuedAccessKeyId(string answer) => IssuedKey().Match(answer) is { Success: true } key ? key.Groups["key"].Value : null;

    [GeneratedRegex(@"<AccessKeyId>(?<key>[^<]+)</AccessKeyId>")]
    private static partial Regex IssuedKey();

    [GeneratedRegex(@"Credential=(?<key>[^/]+)/")]
    private static partial Regex SigningKey();
}
