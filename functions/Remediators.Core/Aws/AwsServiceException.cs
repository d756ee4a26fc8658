namespace Remediators.Core.Aws;

/// <summary>An error answered by an AWS API, with its code, so callers can give it a meaning.</summary>
public sealed class AwsServiceException(string service, string operation, int statusCode, string errorCode, string message)
    : Exception($"{service} {operation} failed ({statusCode} {errorCode}): {message}")
{
    public string Service { get; } = service;
    public string Operation { get; } = operation;
    public int StatusCode { get; } = statusCode;
    public string ErrorCode { get; } = errorCode;

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "PriorRequestNotComplete",
        "WAFUnavailableEntityException", "WAFInternalErrorException", "ServiceUnavailable", "InternalFailure",
    };

    /// <summary>Throttling and server-side errors are transient; everything else is an answer.</summary>
    public bool IsTransient => StatusCode >= 500 || StatusCode == 429 || ThrottlingCodes.Contains(ErrorCode);
}
