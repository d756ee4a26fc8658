using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Remediators.Local.Runtime;

/// <summary>
/// A Lambda Runtime API on 127.0.0.1 serving a single invocation: the first <c>GET invocation/next</c> receives the event,
/// and the first response, invocation error or init error posted becomes the <see cref="Outcome"/>.
/// </summary>
internal sealed class LocalRuntimeApi : IAsyncDisposable
{
    private const string ApiVersion = "2018-06-01";
    private const int StartAttempts = 5;
    private static readonly byte[] Accepted = Encoding.UTF8.GetBytes("""{"status":"OK"}""");

    private readonly HttpListener _listener;
    private readonly RuntimeInvocation _invocation;
    private readonly TimeProvider _timeProvider;
    private readonly TaskCompletionSource _eventDelivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<RuntimeOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private int _nextRequests;

    private LocalRuntimeApi(HttpListener listener, int port, RuntimeInvocation invocation, TimeProvider timeProvider)
    {
        _listener = listener;
        _invocation = invocation;
        _timeProvider = timeProvider;
        Address = $"127.0.0.1:{port}";
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>host:port, the value of <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; }

    public Task EventDelivered => _eventDelivered.Task;

    public Task<RuntimeOutcome> Outcome => _outcome.Task;

    public static LocalRuntimeApi Start(RuntimeInvocation invocation, TimeProvider timeProvider)
    {
        // HttpListener cannot bind port 0, so take a port the OS just reported free and retry if another process wins it.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LocalRuntimeApi(listener, port, invocation, timeProvider);
            }
            catch (HttpListenerException) when (attempt < StartAttempts)
            {
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Close();
        await _acceptLoop;
        _stopping.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            var request = context.Request;
            var segments = request.Url!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var task = (request.HttpMethod, segments) switch
            {
                ("GET", [ApiVersion, "runtime", "invocation", "next"]) => NextAsync(context.Response),
                ("POST", [ApiVersion, "runtime", "invocation", var id, _]) when id != _invocation.RequestId =>
                    WriteAsync(context.Response, HttpStatusCode.BadRequest, ErrorJson("InvalidRequestID", $"Unknown request id {id}")),
                ("POST", [ApiVersion, "runtime", "invocation", _, "response"]) => RecordAsync(context, RuntimeOutcome.Response),
                ("POST", [ApiVersion, "runtime", "invocation", _, "error"]) => RecordAsync(context, RuntimeOutcome.Error),
                ("POST", [ApiVersion, "runtime", "init", "error"]) => RecordAsync(context, RuntimeOutcome.Error),
                _ => WriteAsync(context.Response, HttpStatusCode.NotFound, ErrorJson("InvalidRequest", "Unknown Runtime API path")),
            };
            await task;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            // The function went away or the run is over; there is nobody left to answer.
        }
    }

    private async Task NextAsync(HttpListenerResponse response)
    {
        if (Interlocked.Increment(ref _nextRequests) > 1)
        {
            // A real runtime blocks here until the next event; this run has only one, so wait until the function is stopped.
            await Task.Delay(Timeout.Infinite, _stopping.Token);
            return;
        }

        var deadline = _timeProvider.GetUtcNow() + _invocation.Timeout;
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = _invocation.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = _invocation.FunctionArn;
        response.Headers["Lambda-Runtime-Trace-Id"] = _invocation.TraceId;
        _eventDelivered.TrySetResult();
        await WriteAsync(response, HttpStatusCode.OK, _invocation.Event);
    }

    private async Task RecordAsync(HttpListenerContext context, Func<string, RuntimeOutcome> outcome)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(_stopping.Token);
        if (body.Length == 0 && context.Request.Headers["Lambda-Runtime-Function-Error-Type"] is { } errorType)
        {
            body = Encoding.UTF8.GetString(ErrorJson(errorType, ""));
        }

        // Recorded before acknowledging, so a function that exits right after the 202 cannot look like one that never answered.
        _outcome.TrySetResult(outcome(body));
        await WriteAsync(context.Response, HttpStatusCode.Accepted, Accepted);
    }

    private async Task WriteAsync(HttpListenerResponse response, HttpStatusCode status, byte[] body)
    {
        response.StatusCode = (int)status;
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body, _stopping.Token);
        response.Close();
    }

    private static byte[] ErrorJson(string errorType, string errorMessage) =>
        Encoding.UTF8.GetBytes(RuntimeOutcome.Error(errorType, errorMessage).Body);
}
