using Amazon.EC2;
using Remediators.Core.Aws;
using Remediators.Local.Emulator;

namespace Remediators.Local.Demo;

/// <summary>
/// The demo's AWS account: a moto_server whose clock can be moved back (so seeded keys can be months old), and clients
/// that talk to it with its signing identity.
/// </summary>
internal sealed class DemoAccount : IAsyncDisposable
{
    public const string Region = LocalMoto.Region;
    public const string AccountId = LocalMoto.AccountId;
    public const string SigningUser = "remediators-demo";

    private readonly LocalMoto _moto;

    private DemoAccount(LocalMoto moto, string repoRoot)
    {
        _moto = moto;
        RepoRoot = repoRoot;
        Clients = new AwsClients(moto.Credentials, Http, RetryBackoff.Default, moto.Endpoint);
    }

    public string RepoRoot { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Endpoint => _moto.Endpoint;

    public AwsClients Clients { get; }

    public AmazonEC2Client Ec2 => Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(Region, (c, config) => new AmazonEC2Client(c, config));

    public IReadOnlyDictionary<string, string> CredentialVariables => _moto.CredentialVariables();

    public static async Task<DemoAccount> StartAsync(string repoRoot)
    {
        return new DemoAccount(await LocalMoto.StartAsync(SigningUser, movableClock: true), repoRoot);
    }

    /// <summary>From now on moto stamps what it creates <paramref name="daysAgo"/> days in the past (0: the real time).</summary>
    public Task SetMotoClockAsync(int daysAgo, CancellationToken cancellationToken) => _moto.SetClockAsync(daysAgo, cancellationToken);

    /// <summary>A sample from events/ with its placeholders replaced by what the demo created.</summary>
    public string SampleEvent(string relativePath, params (string Placeholder, string Value)[] replacements)
    {
        var json = File.ReadAllText(Path.Combine(RepoRoot, "events", relativePath));
        foreach (var (placeholder, value) in replacements)
            json = json.Replace(placeholder, value, StringComparison.Ordinal);
        return json;
    }

    public ValueTask DisposeAsync() => _moto.DisposeAsync();
}
