using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Remediators.Core.Aws;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>
/// A real moto_server on a free 127.0.0.1 port with request signature checking on, and an IAM identity to sign with.
/// Shared by every integration test (one collection), so tests isolate themselves by creating their own resources.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";

    private Process? _process;
    private string _recordingPath = "";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Endpoint { get; private set; } = null!;
    public BasicAWSCredentials Credentials { get; private set; } = null!;
    public AwsClients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _recordingPath = Path.Combine(Path.GetTempPath(), $"moto-recording-{port}.jsonl");
        start.Environment["MOTO_RECORDER_FILEPATH"] = _recordingPath;
        _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start; run `make moto` to install it.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();

        // Every client in this process, SDK or thin, goes to moto the way production code finds an endpoint.
        Environment.SetEnvironmentVariable(AwsEndpoints.GlobalVariable, Endpoint.ToString());
        Credentials = await CreateSigningIdentityAsync();
        Clients = new AwsClients(Credentials, Http, RetryBackoff.Default);
        await EnableSignatureCheckingAsync();
    }

    /// <summary>Environment for a function process: moto's endpoint and the signing identity.</summary>
    public IReadOnlyDictionary<string, string> FunctionEnvironment()
    {
        var credentials = Credentials.GetCredentials();
        return new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretKey,
            ["AWS_REGION"] = Region,
            ["AWS_DEFAULT_REGION"] = Region,
        };
    }

    /// <summary>Records every AWS request moto receives from any process until the returned recording is read.</summary>
    public async Task<MotoRecording> StartRecordingAsync()
    {
        await PostAsync("/moto-api/recorder/reset-recording");
        await PostAsync("/moto-api/recorder/start-recording");
        return new MotoRecording(this);
    }

    internal async Task<string> StopRecordingAsync()
    {
        await PostAsync("/moto-api/recorder/stop-recording");
        return await Http.GetStringAsync(new Uri(Endpoint, "/moto-api/recorder/download-recording"));
    }

    private async Task PostAsync(string path, string body = "")
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "text/plain");
        using var response = await Http.PostAsync(new Uri(Endpoint, path), content);
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        File.Delete(_recordingPath);
    }

    private static async Task<BasicAWSCredentials> CreateSigningIdentityAsync()
    {
        // Before auth is switched on moto accepts any signature, so a throwaway key creates the real identity.
        var iam = new QueryProtocolClient(AwsService.Iam, "2010-05-08", Region, new BasicAWSCredentials("bootstrap", "bootstrap"), Http, RetryBackoff.Default);
        const string user = "remediators-tests";
        await iam.CallAsync("CreateUser", [new("UserName", user)], CancellationToken.None);
        await iam.CallAsync("PutUserPolicy",
        [
            new("UserName", user), new("PolicyName", "everything"),
            new("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""),
        ], CancellationToken.None);
        var key = (await iam.CallAsync("CreateAccessKey", [new("UserName", user)], CancellationToken.None)).Child("AccessKey")!;
        return new BasicAWSCredentials(key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
    }

    private Task EnableSignatureCheckingAsync() => PostAsync("/moto-api/reset-auth", "0");

    private async Task WaitUntilAnsweringAsync()
    {
        for (var waited = 0; waited < 30_000 && !_process!.HasExited; waited += 100)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(Endpoint, "/moto-api/data.json"));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"moto_server did not answer on {Endpoint} within 30 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
