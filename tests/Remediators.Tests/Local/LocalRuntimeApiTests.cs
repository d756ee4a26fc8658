using System.Net;
using System.Text;
using Remediators.Local.Runtime;

namespace Remediators.Tests.Local;

public sealed class LocalRuntimeApiTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 8, 30, 0, TimeSpan.Zero);
    private static readonly byte[] EventBody = Encoding.UTF8.GetBytes("""{"detail":{"groupId":"sg-1"}}""");

    private readonly RuntimeInvocation _invocation = RuntimeInvocation.Create(
        EventBody, "arn:aws:lambda:eu-west-1:123456789012:function:Revoker", TimeSpan.FromSeconds(30), new FixedTimeProvider(Now));

    private readonly LocalRuntimeApi _api;
    private readonly HttpClient _function;

    public LocalRuntimeApiTests()
    {
        _api = LocalRuntimeApi.Start(_invocation, new FixedTimeProvider(Now));
        _function = new HttpClient { BaseAddress = new Uri($"http://{_api.Address}/2018-06-01/runtime/") };
    }

    public async ValueTask DisposeAsync()
    {
        _function.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Next_ReturnsTheEventWithTheInvocationHeaders()
    {
        using var next = await _function.GetAsync(new Uri("invocation/next", UriKind.Relative));

        Assert.Equal(EventBody, await next.Content.ReadAsByteArrayAsync());
        Assert.Equal(_invocation.RequestId, Header(next, "Lambda-Runtime-Aws-Request-Id"));
        Assert.Equal((Now + TimeSpan.FromSeconds(30)).ToUnixTimeMilliseconds().ToString(), Header(next, "Lambda-Runtime-Deadline-Ms"));
        Assert.Equal("arn:aws:lambda:eu-west-1:123456789012:function:Revoker", Header(next, "Lambda-Runtime-Invoked-Function-Arn"));
        Assert.Matches($"^Root=1-{Now.ToUnixTimeSeconds():x8}-[0-9a-f]{{24}};Parent=[0-9a-f]{{16}};Sampled=0$", Header(next, "Lambda-Runtime-Trace-Id"));
        Assert.True(_api.EventDelivered.IsCompleted);
    }

    [Fact]
    public async Task PostedResponse_IsAcceptedAndBecomesTheAnsweredOutcome()
    {
        using var posted = await Post($"invocation/{_invocation.RequestId}/response", """{"status":"Remediated"}""");

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("""{"status":"OK"}""", await posted.Content.ReadAsStringAsync());
        Assert.Equal(new RuntimeOutcome(true, """{"status":"Remediated"}"""), await _api.Outcome);
    }

    [Fact]
    public async Task PostedInvocationError_BecomesAnUnansweredOutcome()
    {
        const string Error = """{"errorMessage":"boom","errorType":"InvalidOperationException","stackTrace":[]}""";

        using var posted = await Post($"invocation/{_invocation.RequestId}/error", Error);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(new RuntimeOutcome(false, Error), await _api.Outcome);
    }

    [Fact]
    public async Task PostedInitError_BecomesAnUnansweredOutcome()
    {
        const string Error = """{"errorMessage":"no credentials","errorType":"AmazonClientException"}""";

        using var posted = await Post("init/error", Error);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(new RuntimeOutcome(false, Error), await _api.Outcome);
    }

    [Fact]
    public async Task PostedResponse_ForAnotherRequestId_IsRejected()
    {
        using var posted = await Post("invocation/not-the-request/response", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.False(_api.Outcome.IsCompleted);
    }

    private async Task<HttpResponseMessage> Post(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await _function.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
