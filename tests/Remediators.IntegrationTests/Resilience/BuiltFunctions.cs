using System.Text;
using Amazon.Runtime;
using Remediators.Bench.Proxy;
using Remediators.IntegrationTests.Fixtures;
using Remediators.Local;

namespace Remediators.IntegrationTests.Resilience;

/// <summary>The built function executables, run as <c>sam local invoke</c> would, against a resilience moto through a proxy.</summary>
public static class BuiltFunctions
{
    /// <summary>Builds the function when stale, once, so concurrent invocations do not all run its make target.</summary>
    public static Task BuildAsync(string logicalId) => new FunctionRunner(TextWriter.Null, TimeProvider.System).BuildAsync(LocalInvoke.RepoRoot, logicalId);

    /// <param name="key">The key the function signs with (the moto's own by default): the proxy lists calls per key.</param>
    /// <param name="variables">Overrides of the template's variables (e.g. BLOCKLIST_TABLE), as an env-vars file gives them.</param>
    /// <param name="testNow">The function's "now" (REMEDIATORS_TEST_NOW), honoured only against a loopback endpoint such as the proxy.</param>
    /// <param name="initSlots">How many of the caller's function processes may be in their init phase at once (the machine's bound by default).</param>
    public static async Task<FunctionAnswer> InvokeAsync(
        ResilienceMoto moto, AwsProxy proxy, string logicalId, string eventJson, IReadOnlyDictionary<string, string> parameters,
        IReadOnlyDictionary<string, string>? variables = null, BasicAWSCredentials? key = null, DateTimeOffset? testNow = null, SemaphoreSlim? initSlots = null)
    {
        var environment = new Dictionary<string, string>(moto.FunctionEnvironment());
        if (key is not null)
        {
            var credentials = key.GetCredentials();
            (environment["AWS_ACCESS_KEY_ID"], environment["AWS_SECRET_ACCESS_KEY"]) = (credentials.AccessKey, credentials.SecretKey);
        }
        if (testNow is { } now)
            environment[Core.Remediation.TestClock.Variable] = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var diagnostics = new StringWriter();
        var result = await LocalInvoke.Runner(diagnostics, initSlots).InvokeAsync(new InvokeRequest(LocalInvoke.RepoRoot, logicalId, Encoding.UTF8.GetBytes(eventJson))
        {
            EndpointUrl = proxy.Endpoint.ToString(),
            ArtifactsFolder = LocalInvoke.PublishedFolder(logicalId),
            Region = ResilienceMoto.Region,
            ParameterOverrides = parameters,
            EnvironmentOverrides = variables ?? new Dictionary<string, string>(),
            ProcessEnvironment = environment,
        });
        return FunctionAnswer.From(result, diagnostics.ToString());
    }
}
