using Amazon.Runtime;
using Remediators.Core.Aws;
using Remediators.Local.Emulator;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>
/// A real moto_server on a free 127.0.0.1 port with request signature checking on, and an IAM identity to sign with.
/// Shared by every integration test (one collection), so tests isolate themselves by creating their own resources.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string Region = LocalMoto.Region;
    public const string AccountId = LocalMoto.AccountId;

    /// <summary>The IAM user (allowed everything) whose key signs every call of the tests and of the functions they run.</summary>
    public const string SigningUser = "remediators-tests";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private LocalMoto? _moto;
    private string _recordingPath = "";

    public Uri Endpoint => _moto!.Endpoint;
    public BasicAWSCredentials Credentials => _moto!.Credentials;
    public AwsClients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _recordingPath = Path.Combine(Path.GetTempPath(), $"moto-recording-{Guid.NewGuid():N}.jsonl");
        _moto = await LocalMoto.StartAsync(SigningUser, new Dictionary<string, string> { ["MOTO_RECORDER_FILEPATH"] = _recordingPath });
        // Every client in this process, SDK or thin, goes to moto the way production code finds an endpoint.
        Environment.SetEnvironmentVariable(AwsEndpoints.GlobalVariable, Endpoint.ToString());
        Clients = new AwsClients(Credentials, Http, RetryBackoff.Default);
    }

    /// <summary>Environment for a function process: moto's endpoint and the signing identity.</summary>
    public IReadOnlyDictionary<string, string> FunctionEnvironment() =>
        new Dictionary<string, string>(_moto!.CredentialVariables())
        {
            ["AWS_REGION"] = Region,
            ["AWS_DEFAULT_REGION"] = Region,
        };

    /// <summary>Records every AWS request moto receives from any process until the returned recording is read.</summary>
    public async Task<MotoRecording> StartRecordingAsync()
    {
        await _moto!.PostAsync("/moto-api/recorder/reset-recording");
        await _moto.PostAsync("/moto-api/recorder/start-recording");
        return new MotoRecording(this);
    }

    internal async Task<string> StopRecordingAsync()
    {
        await _moto!.PostAsync("/moto-api/recorder/stop-recording");
        return await _moto.GetStringAsync("/moto-api/recorder/download-recording");
    }

    public async Task DisposeAsync()
    {
        if (_moto is null)
            return;
        await _moto.DisposeAsync();
        File.Delete(_recordingPath);
    }
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
