using System.Security.Cryptography;

namespace Remediators.Local.Runtime;

/// <summary>The one invocation a local run hands to the function.</summary>
internal sealed record RuntimeInvocation(string RequestId, byte[] Event, string FunctionArn, string TraceId, TimeSpan Timeout)
{
    public static RuntimeInvocation Create(byte[] eventBody, string functionArn, TimeSpan timeout, TimeProvider timeProvider) =>
        new(Guid.NewGuid().ToString(), eventBody, functionArn, NewTraceId(timeProvider.GetUtcNow()), timeout);

    private static string NewTraceId(DateTimeOffset now) =>
        $"Root=1-{now.ToUnixTimeSeconds():x8}-{RandomNumberGenerator.GetHexString(24, lowercase: true)}"
        + $";Parent={RandomNumberGenerator.GetHexString(16, lowercase: true)};Sampled=0";
}
