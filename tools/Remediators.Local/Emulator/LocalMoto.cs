using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Remediators.Core.Aws;

namespace Remediators.Local.Emulator;

/// <summary>
/// moto_server on a free 127.0.0.1 port with request signature checking on, and an IAM identity allowed everything to sign with.
/// </summary>
public sealed class LocalMoto : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";
    public const string Python = "python3";

    /// <summary>Starts moto's server with DynamoDB and WAF writes made atomic, as in AWS, and an optional movable clock.</summary>
    private static readonly string Launcher = Path.Combine(AppContext.BaseDirectory, "Emulator", "moto_launcher.py");

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly string? _clockFile;

    private LocalMoto(Process process, Uri endpoint, string signingUser, string? clockFile)
    {
        _process = process;
        _clockFile = clockFile;
        Endpoint = endpoint;
        SigningUser = signingUser;
    }

    /// <summary>The IAM user whose key signs every call; a full-account key scan should exempt it.</summary>
    public string SigningUser { get; }

    public Uri Endpoint { get; }

    public BasicAWSCredentials Credentials { get; private set; } = null!;

    /// <param name="environment">Extra variables for the server, e.g. MOTO_RECORDER_FILEPATH for <c>/moto-api/recorder/*</c>.</param>
    /// <param name="movableClock">Lets <see cref="SetClockAsync"/> move moto's clock (see moto_launcher.py); false keeps the real time.</param>
    public static async Task<LocalMoto> StartAsync(
        string signingUser, IReadOnlyDictionary<string, string>? environment = null, bool movableClock = false)
    {
        var clockFile = movableClock ? Path.Combine(Path.GetTempPath(), $"remediators-moto-clock-{Guid.NewGuid():N}") : null;
        var port = FreePort();
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { Launcher, "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        if (clockFile is not null)
            start.Environment["REMEDIATORS_MOTO_CLOCK_FILE"] = clockFile;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ConfigurationException($"{Python} could not be started ({e.Message}): run `make test-tools` or pip install \"moto[server]\".", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var moto = new LocalMoto(process, new Uri($"http://127.0.0.1:{port}"), signingUser, clockFile);
        try
        {
            await moto.WaitUntilAnsweringAsync();
            // Before auth is switched on moto accepts any signature, so a throwaway key creates the real identity.
            moto.Credentials = await moto.CreateUserAllowedEverythingAsync(signingUser, new BasicAWSCredentials("bootstrap", "bootstrap"));
            await moto.PostAsync("/moto-api/reset-auth", "0");
            return moto;
        }
        catch
        {
            await moto.DisposeAsync();
            throw;
        }
    }

    /// <summary>The variables a function process needs to sign its calls to this moto.</summary>
    public IReadOnlyDictionary<string, string> CredentialVariables()
    {
        var credentials = Credentials.GetCredentials();
        return new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretKey,
        };
    }

    /// <summary>Posts to one of moto's own <c>/moto-api/</c> endpoints.</summary>
    public async Task PostAsync(string path, string body = "")
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "text/plain");
        using var response = await Http.PostAsync(new Uri(Endpoint, path), content);
        response.EnsureSuccessStatusCode();
    }

    public Task<string> GetStringAsync(string path) => Http.GetStringAsync(new Uri(Endpoint, path));

    /// <summary>From now on moto stamps what it creates (and key uses it records) <paramref name="daysAgo"/> days in the past; 0 is the real time.</summary>
    /// <exception cref="InvalidOperationException">This moto was started without a movable clock.</exception>
    public Task SetClockAsync(int daysAgo, CancellationToken cancellationToken = default) =>
        File.WriteAllTextAsync(
            _clockFile ?? throw new InvalidOperationException("moto was started without a movable clock."),
            (-daysAgo).ToString(CultureInfo.InvariantCulture), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_clockFile is not null)
            File.Delete(_clockFile);
    }

    /// <summary>A new IAM user allowed everything, and an access key of it (created now, so never an unused key).</summary>
    /// <param name="signer">Signs the IAM calls; null signs with this moto's signing identity.</param>
    public async Task<BasicAWSCredentials> CreateUserAllowedEverythingAsync(string userName, AWSCredentials? signer = null)
    {
        var iam = new IamClient(Region, signer ?? Credentials, Http, RetryBackoff.Default, Endpoint);
        await iam.CallAsync("CreateUser", [new("UserName", userName)], CancellationToken.None);
        await iam.CallAsync("PutUserPolicy",
        [
            new("UserName", userName), new("PolicyName", "everything"),
            new("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""),
        ], CancellationToken.None);
        var key = (await iam.CallAsync("CreateAccessKey", [new("UserName", userName)], CancellationToken.None)).Child("AccessKey")!;
        return new BasicAWSCredentials(key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartTimeout && !_process.HasExited)
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
        throw new InvalidOperationException(_process.HasExited
            ? $"moto's server exited with code {_process.ExitCode} before answering on {Endpoint}."
            : $"moto's server did not answer on {Endpoint} within {StartTimeout.TotalSeconds} s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
