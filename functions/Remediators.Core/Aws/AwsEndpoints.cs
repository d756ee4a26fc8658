using System.Text.RegularExpressions;

namespace Remediators.Core.Aws;

/// <summary>
/// Where to send a service's requests: <c>REMEDIATORS_ENDPOINT_URL</c> (an emulator for every service), then
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;</c>, then <c>AWS_ENDPOINT_URL</c> — the SDKs' precedence — then the public endpoint.
/// </summary>
public static partial class AwsEndpoints
{
    public const string GlobalVariable = "AWS_ENDPOINT_URL";

    /// <summary>
    /// Declared empty in template.yaml so that <c>sam local invoke --env-vars</c> (which only overrides declared variables)
    /// can point a function at a local emulator; the SDK refuses an empty AWS_ENDPOINT_URL, so that one cannot be declared.
    /// </summary>
    public const string EmulatorVariable = "REMEDIATORS_ENDPOINT_URL";

    public static Uri? Configured(string serviceEnvironmentId, Func<string, string?> environment)
    {
        if (Set(environment(EmulatorVariable)) is { } emulator)
            return new Uri(emulator);
        if (string.Equals(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
            return null;
        var url = Set(environment($"{GlobalVariable}_{serviceEnvironmentId}")) ?? Set(environment(GlobalVariable));
        return url is null ? null : new Uri(url);
    }

    /// <summary>The emulator every client must use, from <see cref="EmulatorVariable"/>, or null to resolve endpoints per service.</summary>
    public static Uri? Emulator(Func<string, string?> environment) => Set(environment(EmulatorVariable)) is { } url ? new Uri(url) : null;

    /// <summary>Whether <paramref name="name"/> has the shape of an AWS region (us-east-1, us-gov-west-1...), as a region read from an event must before it picks an endpoint.</summary>
    public static bool IsRegion(string name) => RegionPattern().IsMatch(name);

    public static string DnsSuffix(string region) => region.StartsWith("cn-", StringComparison.Ordinal)
        ? "amazonaws.com.cn"
        : "amazonaws.com";

    public static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    private static string? Set(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // [0-9], not \d, which also matches other scripts' digits; \z, not $, which also matches before a final newline.
    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]\z")]
    private static partial Regex RegionPattern();
}
