namespace Remediators.Core.Aws;

/// <summary>
/// Where to send a service's requests: <c>AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;</c>, then <c>AWS_ENDPOINT_URL</c>,
/// then the public endpoint — the same precedence the AWS SDKs use.
/// </summary>
public static class AwsEndpoints
{
    public const string GlobalVariable = "AWS_ENDPOINT_URL";

    public static Uri? Configured(string serviceEnvironmentId, Func<string, string?> environment)
    {
        if (string.Equals(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
            return null;
        var url = environment($"{GlobalVariable}_{serviceEnvironmentId}") ?? environment(GlobalVariable);
        return string.IsNullOrWhiteSpace(url) ? null : new Uri(url);
    }

    public static string DnsSuffix(string region) => region.StartsWith("cn-", StringComparison.Ordinal)
        ? "amazonaws.com.cn"
        : "amazonaws.com";

    public static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";
}
