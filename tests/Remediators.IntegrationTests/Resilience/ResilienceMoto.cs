using Amazon.Runtime;
using Remediators.Bench.Proxy;
using Remediators.Core.Aws;
using Remediators.IntegrationTests.Fixtures;
using Remediators.Local.Emulator;

namespace Remediators.IntegrationTests.Resilience;

/// <summary>
/// A moto_server of the resilience suites' own (signature checking on, like the shared one), whose clock can be moved back
/// so seeded keys can be months old. Unlike <see cref="MotoServer"/> it sets no process-wide variable, so it can run next
/// to the shared moto; everything reaches it through explicit endpoints: seeding directly, functions through an <see cref="AwsProxy"/>.
/// </summary>
public sealed class ResilienceMoto : IAsyncLifetime
{
    public const string Region = LocalMoto.Region;
    public const string AccountId = LocalMoto.AccountId;
    public const string SigningUser = "resilience-suites";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private LocalMoto? _moto;

    public Uri Endpoint => _moto!.Endpoint;

    public BasicAWSCredentials Credentials => _moto!.Credentials;

    /// <summary>Clients straight to moto, for seeding and reading state (never faulted, never counted).</summary>
    public AwsClients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _moto = await LocalMoto.StartAsync(SigningUser, movableClock: true);
        Clients = new AwsClients(Credentials, Http, RetryBackoff.Default, Endpoint);
    }

    /// <summary>From now on moto stamps what it creates (and key uses) <paramref name="daysAgo"/> days in the past; 0 is the real time.</summary>
    public Task SetClockAsync(int daysAgo) => _moto!.SetClockAsync(daysAgo);

    public Task<AwsProxy> StartProxyAsync(FaultPlan plan) => AwsProxy.StartAsync(Endpoint, plan);

    /// <summary>Clients as a function makes them, sending every call through <paramref name="proxy"/>.</summary>
    public AwsClients ClientsThrough(AwsProxy proxy, AWSCredentials? credentials = null, RetryBackoff? retry = null) =>
        new(credentials ?? Credentials, Http, retry ?? RetryBackoff.Default, proxy.Endpoint);

    /// <summary>
    /// A key of a new user allowed everything, so concurrent runs can sign with their own keys and the proxy can tell their calls
    /// apart; created now and in use, it is never an unused key.
    /// </summary>
    public Task<BasicAWSCredentials> CreateSigningKeyAsync(string userName) => _moto!.CreateUserAllowedEverythingAsync(userName);

    /// <summary>What a built function process needs to sign its calls to this moto.</summary>
    public IReadOnlyDictionary<string, string> FunctionEnvironment() =>
        new Dictionary<string, string>(_moto!.CredentialVariables()) { ["AWS_REGION"] = Region, ["AWS_DEFAULT_REGION"] = Region };

    public async Task DisposeAsync()
    {
        if (_moto is not null)
            await _moto.DisposeAsync();
    }
}

/// <summary>A moto of one test class with the scenario seeded: every class changes it in its own way.</summary>
public sealed class SeededMoto : IAsyncLifetime
{
    public ResilienceMoto Moto { get; } = new();

    private readonly Dictionary<string, Task<BasicAWSCredentials>> _signingKeys = [];

    public Scenario.ScenarioAccount Account { get; private set; } = null!;

    /// <summary>The key of signing user <paramref name="userName"/>, created on first use.</summary>
    public Task<BasicAWSCredentials> SigningKeyAsync(string userName)
    {
        lock (_signingKeys)
        {
            if (!_signingKeys.TryGetValue(userName, out var key))
                _signingKeys[userName] = key = Moto.CreateSigningKeyAsync(userName);
            return key;
        }
    }

    public async Task InitializeAsync()
    {
        await Moto.InitializeAsync();
        Account = await Scenario.ScenarioSeeding.SeedAsync(Moto, "suite");
    }

    public Task DisposeAsync() => Moto.DisposeAsync();
}

/// <summary>The resilience suites run one after another (each on its own moto), next to the other integration tests.</summary>
[CollectionDefinition(Name)]
public sealed class ResilienceCollection
{
    public const string Name = "resilience";
}
