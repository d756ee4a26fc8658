namespace Remediators.Core.Hosting;

/// <summary>
/// The Runtime API loop for an executable-assembly function (<c>Handler:</c> = assembly name):
/// initialise once, then fetch, handle and answer invocations until the sandbox is frozen or killed.
/// </summary>
public static class LambdaHost
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    // Leave time to post the error before Lambda kills a timed-out invocation.
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(Func<IInvocationHandler> initialize)
    {
        var host = Environment.GetEnvironmentVariable(RuntimeApiVariable);
        if (string.IsNullOrEmpty(host))
        {
            await Console.Error.WriteLineAsync(
                $"{RuntimeApiVariable} is not set: run this function in Lambda, `sam local invoke` or `Remediators.Local invoke`.");
            return 2;
        }
        var runtime = RuntimeApiClient.ForHost(host);

        IInvocationHandler handler;
        try
        {
            handler = initialize();
        }
        catch (Exception error)
        {
            await Console.Error.WriteLineAsync(JsonLog.Failure(DateTimeOffset.UtcNow, "Init failed", error, null, null));
            await runtime.ReportInitErrorAsync(error, CancellationToken.None);
            return 1;
        }

        while (true)
        {
            var (context, payload) = await runtime.GetNextInvocationAsync(CancellationToken.None);
            await HandleOneAsync(runtime, handler, context, payload);
        }
    }

    private static async Task HandleOneAsync(
        RuntimeApiClient runtime, IInvocationHandler handler, InvocationContext context, byte[] payload)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, context.TraceId);
        using var deadline = new CancellationTokenSource();
        var remaining = context.Deadline - DateTimeOffset.UtcNow - DeadlineMargin;
        if (remaining < TimeSpan.FromDays(1))
            deadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);

        byte[] response;
        try
        {
            response = await handler.HandleAsync(payload, context, deadline.Token);
        }
        catch (Exception error)
        {
            await Console.Error.WriteLineAsync(JsonLog.Failure(DateTimeOffset.UtcNow, "Invocation failed", error, context.RequestId, context.TraceId));
            await runtime.ReportInvocationErrorAsync(context.RequestId, error, CancellationToken.None);
            return;
        }
        await runtime.SendResponseAsync(context.RequestId, response, CancellationToken.None);
    }
}
