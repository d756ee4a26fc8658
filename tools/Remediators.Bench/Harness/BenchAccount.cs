using System.Text;
using Remediators.Bench.Proxy;
using Remediators.Core.Aws;
using Remediators.Local;
using Remediators.Local.Build;
using Remediators.Local.Demo;
using Remediators.Local.Emulator;

namespace Remediators.Bench.Harness;

/// <summary>
/// The account a scenario runs in: its own moto_server (signature checking on, started with a movable clock so
/// resources can be created in the past) behind its own counting proxy. Seeding and checks talk to moto directly; the
/// functions talk to the proxy, so the proxy sees exactly the functions' calls.
/// </summary>
internal sealed class BenchAccount : IAsyncDisposable
{
    public const string Region = LocalMoto.Region;
    public const string AccountId = LocalMoto.AccountId;

    /// <summary>The IAM user whose key signs every call; key scans exempt it.</summary>
    public const string SigningUser = "remediators-bench";

    private readonly LocalMoto _moto;

    private BenchAccount(string repoRoot, LocalMoto moto, AwsProxy proxy)
    {
        RepoRoot = repoRoot;
        _moto = moto;
        Proxy = proxy;
        Clients = new AwsClients(moto.Credentials, new HttpClient { Timeout = TimeSpan.FromSeconds(60) }, RetryBackoff.Default, moto.Endpoint);
    }

    public string RepoRoot { get; }

    public AwsProxy Proxy { get; }

    /// <summary>moto itself, past the proxy: calls made there are not counted.</summary>
    public Uri MotoEndpoint => _moto.Endpoint;

    /// <summary>Clients straight to moto, for seeding and reading state; their calls are not counted.</summary>
    public AwsClients Clients { get; }

    /// <exception cref="ConfigurationException">Python 3 or moto's server is missing and could not be installed.</exception>
    public static async Task<BenchAccount> StartAsync(string repoRoot, FaultPlan plan, CancellationToken cancellationToken)
    {
        await MotoInstall.EnsureAsync(cancellationToken);
        var moto = await LocalMoto.StartAsync(SigningUser, movableClock: true);
        try
        {
            return new BenchAccount(repoRoot, moto, await AwsProxy.StartAsync(moto.Endpoint, plan));
        }
        catch
        {
            await moto.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds the functions with their make targets when stale, so no build lands inside a measurement.</summary>
    /// <exception cref="BuildFailedException">A function did not build; the message carries make's output.</exception>
    public async Task BuildAsync(IEnumerable<string> logicalIds, CancellationToken cancellationToken)
    {
        foreach (var logicalId in logicalIds)
        {
            var log = new StringWriter();
            try
            {
                await new FunctionRunner(log, TimeProvider.System).BuildAsync(RepoRoot, logicalId, cancellationToken);
            }
            catch (BuildFailedException e)
            {
                throw new BuildFailedException($"{e.Message}\n{log}", e);
            }
        }
    }

    /// <summary>From now on moto stamps what it creates <paramref name="daysAgo"/> days in the past (0: the real time).</summary>
    public Task SetMotoClockAsync(int daysAgo, CancellationToken cancellationToken) => _moto.SetClockAsync(daysAgo, cancellationToken);

    /// <summary>
    /// Lets moto skip signature checks until <see cref="RequireSignaturesAsync"/>: it looks the signing key up among every
    /// user's keys on each call, which makes seeding thousands of users quadratic.
    /// </summary>
    public Task SkipSignatureChecksAsync() => _moto.PostAsync("/moto-api/reset-auth", "inf");

    public Task RequireSignaturesAsync() => _moto.PostAsync("/moto-api/reset-auth", "0");

    /// <summary>
    /// Another hub identity allowed everything, whose key a run can sign with (<see cref="BenchInvocation.Environment"/>), so the
    /// proxy lists that run's calls apart from every other's.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> CreateSigningIdentityAsync(string userName)
    {
        var credentials = (await _moto.CreateUserAllowedEverythingAsync(userName)).GetCredentials();
        return new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = credentials.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretKey };
    }

    /// <summary>A sample from events/ with its placeholders replaced by what the scenario created.</summary>
    public string Sample(string relativePath, params (string Placeholder, string Value)[] replacements)
    {
        var json = File.ReadAllText(Path.Combine(RepoRoot, "events", relativePath));
        foreach (var (placeholder, value) in replacements)
            json = json.Replace(placeholder, value, StringComparison.Ordinal);
        return json;
    }

    /// <summary>Runs the built function once through the local Runtime API, its AWS calls going through the proxy.</summary>
    /// <param name="invocation">The function, its event and settings.</param>
    public async Task<FunctionOutcome> InvokeAsync(BenchInvocation invocation, CancellationToken cancellationToken)
    {
        var log = new StringWriter();
        var request = new InvokeRequest(RepoRoot, invocation.LogicalId, Encoding.UTF8.GetBytes(invocation.EventJson))
        {
            EndpointUrl = Proxy.Endpoint.ToString(),
            Region = invocation.Region ?? Region,
            ParameterOverrides = invocation.Parameters,
            EnvironmentOverrides = invocation.EnvironmentOverrides,
            ProcessEnvironment = _moto.CredentialVariables().Where(v => !invocation.Environment.ContainsKey(v.Key)).Concat(invocation.Environment).ToDictionary(),
            ArtifactsFolder = invocation.ArtifactsFolder,
        };
        var result = await new FunctionRunner(log, TimeProvider.System).InvokeAsync(request, cancellationToken);
        return new FunctionOutcome(result, log.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await _moto.DisposeAsync();
    }
}

/// <summary>One invocation of a template function by a scenario.</summary>
/// <param name="Parameters">Template parameter values (Mode and the scenario's settings).</param>
internal sealed record BenchInvocation(string LogicalId, string EventJson, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>Extra process variables, e.g. the test clock, or AWS_ACCESS_KEY_ID and its secret to sign with instead of the bench's key.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Replacements of the template's own variables, as <c>sam local invoke --env-vars</c> gives them.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>The region the function is deployed in, when not the bench's own: a regional event reaches only that region's stack.</summary>
    public string? Region { get; init; }

    /// <summary>A published variant to run instead of the make build.</summary>
    public string? ArtifactsFolder { get; init; }
}
