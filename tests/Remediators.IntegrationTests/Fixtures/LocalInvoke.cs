using System.Text;
using System.Text.Json;
using Remediators.Local;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>What a built function answered when invoked through the local runner, as <c>sam local invoke</c> would run it.</summary>
public sealed record FunctionAnswer(bool Answered, JsonElement Body, string Logs)
{
    public string Status => Body.GetProperty("status").GetString()!;

    public long Count(string name) => Body.GetProperty("counts").GetProperty(name).GetInt64();

    public IEnumerable<JsonElement> Resources => Body.GetProperty("resources").EnumerateArray();

    /// <summary>The outcome record the function logged: the only one there is when the invocation failed after reporting it.</summary>
    public JsonElement LoggedOutcome => FunctionLogs.Split('\n').Where(line => line.StartsWith("{\"timestamp\"", StringComparison.Ordinal))
        .Select(ParseLine).Single(line => line.TryGetProperty("outcome", out _)).GetProperty("outcome");

    private static JsonElement ParseLine(string line)
    {
        using var json = JsonDocument.Parse(line);
        return json.RootElement.Clone();
    }

    /// <summary>The function's own lines alone (<see cref="Logs"/> repeats them among the runner's).</summary>
    public string FunctionLogs { get; init; } = "";

    /// <summary>True when the function ran as its Native AOT bootstrap (provided.al2023).</summary>
    public bool RanNativeBootstrap { get; init; }

    /// <param name="diagnostics">The runner's own lines (build output, warnings), appended to the function's logs.</param>
    public static FunctionAnswer From(InvokeResult result, string diagnostics)
    {
        using var body = JsonDocument.Parse(result.Body);
        return new FunctionAnswer(result.Answered, body.RootElement.Clone(), result.Logs + diagnostics) { RanNativeBootstrap = result.RanNativeBootstrap, FunctionLogs = result.Logs };
    }
}

public static class LocalInvoke
{
    public static readonly string RepoRoot = FindRepoRoot();

    /// <summary>
    /// The suite's runner. Its init limit is six times Lambda's: on a 2-core machine that other work also loads, a .NET process
    /// can need more than 10 s of wall time to start although it needs far less CPU, and a Sandbox.Timedout there says
    /// nothing about the function. Every other Lambda semantic (the limit itself, timeouts, concurrency) stays.
    /// </summary>
    public static FunctionRunner Runner(TextWriter diagnostics, SemaphoreSlim? initSlots = null) =>
        new(diagnostics, TimeProvider.System, initSlots, FunctionRunner.LambdaInitTimeout * 6);

    /// <summary>
    /// Builds (when stale) and runs the function's executable against moto (or <paramref name="endpoint"/>), with the given
    /// template parameters and, optionally, extra process variables (such as a function's test-only settings) and overrides
    /// of the template's own variables (as <c>sam local invoke --env-vars</c> gives, e.g. a table per test).
    /// </summary>
    public static async Task<FunctionAnswer> InvokeAsync(
        this MotoServer moto,
        string logicalId,
        string eventJson,
        IReadOnlyDictionary<string, string>? parameters = null,
        string region = MotoServer.Region,
        Uri? endpoint = null,
        IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyDictionary<string, string>? environmentOverrides = null)
    {
        var diagnostics = new StringWriter();
        var request = new InvokeRequest(RepoRoot, logicalId, Encoding.UTF8.GetBytes(eventJson))
        {
            EndpointUrl = (endpoint ?? moto.Endpoint).ToString(),
            ArtifactsFolder = PublishedFolder(logicalId),
            Region = region,
            ParameterOverrides = parameters ?? new Dictionary<string, string>(),
            EnvironmentOverrides = environmentOverrides ?? new Dictionary<string, string>(),
            ProcessEnvironment = environment is null
                ? moto.FunctionEnvironment()
                : moto.FunctionEnvironment().Concat(environment).ToDictionary(),
        };
        return FunctionAnswer.From(await Runner(diagnostics).InvokeAsync(request), diagnostics.ToString());
    }

    /// <summary>
    /// A published build to test instead of the make build, from REMEDIATORS_TEST_ARTIFACTS_&lt;LogicalId&gt; (e.g. the
    /// benchmarks' Native AOT revoker in .local/bench/cold-start/aot/out); null tests the make build.
    /// </summary>
    public static string? PublishedFolder(string logicalId) =>
        Environment.GetEnvironmentVariable($"REMEDIATORS_TEST_ARTIFACTS_{logicalId}") is { Length: > 0 } folder ? Path.GetFullPath(folder, RepoRoot) : null;

    /// <summary>A sample from events/ with its placeholder ids replaced by the ones this test created.</summary>
    public static string SampleEvent(string relativePath, params (string Placeholder, string Value)[] replacements)
    {
        var json = File.ReadAllText(Path.Combine(RepoRoot, "events", relativePath));
        foreach (var (placeholder, value) in replacements)
            json = json.Replace(placeholder, value, StringComparison.Ordinal);
        return json;
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "template.yaml")))
                return directory.FullName;
        }
        throw new InvalidOperationException("template.yaml not found above the test assembly.");
    }
}
