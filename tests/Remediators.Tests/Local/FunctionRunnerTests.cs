using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using Remediators.Local;

namespace Remediators.Tests.Local;

public sealed class FunctionRunnerTests(EchoFunctionRepo repo) : IClassFixture<EchoFunctionRepo>
{
    private readonly FunctionRunner _runner = new(TextWriter.Null, TimeProvider.System);

    [Fact]
    public async Task Invoke_WhenTheFunctionResponds_ReturnsItsBodyAndGivesItTheLambdaEnvironment()
    {
        var request = Request("echo") with
        {
            Region = "eu-west-1",
            EndpointUrl = "http://127.0.0.1:4566",
            ParameterOverrides = new Dictionary<string, string> { ["Mode"] = "enforce" },
            ProcessEnvironment = new Dictionary<string, string> { ["FROM_TEST"] = "yes", ["MODE"] = "loses-to-the-template" },
        };

        var result = await _runner.InvokeAsync(request);

        Assert.True(result.Answered, result.Body);
        var environment = JsonNode.Parse(result.Body)!.AsObject().ToDictionary(entry => entry.Key, entry => entry.Value?.GetValue<string>());
        var artifacts = Path.Combine(repo.Root, ".local", "artifacts", EchoFunctionRepo.LogicalId);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["cwd"] = artifacts,
                ["MODE"] = "enforce",
                ["FROM_TEST"] = "yes",
                ["_HANDLER"] = "EchoFunction",
                ["AWS_REGION"] = "eu-west-1",
                ["AWS_DEFAULT_REGION"] = "eu-west-1",
                ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566",
                ["AWS_EXECUTION_ENV"] = "AWS_Lambda_dotnet10",
                ["AWS_LAMBDA_FUNCTION_NAME"] = "EchoFunction",
                ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256",
                ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
                ["LAMBDA_TASK_ROOT"] = artifacts,
            },
            environment);
        Assert.Contains("""{"message":"handling echo"}""", result.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_WhenTheFunctionPostsAnError_ReturnsTheErrorAsUnanswered()
    {
        var result = await Invoke("error");

        Assert.False(result.Answered);
        Assert.Equal("""{"errorMessage":"boom","errorType":"Fixture"}""", result.Body);
    }

    [Fact]
    public async Task Invoke_WhenTheFunctionOutlivesItsTimeout_ReportsATimeout()
    {
        var result = await Invoke("hang");

        Assert.False(result.Answered);
        Assert.Contains("Task timed out after 2 seconds", result.Body, StringComparison.Ordinal);
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(2), result.Elapsed.ToString());
    }

    [Fact]
    public async Task Invoke_WhenTheFunctionExitsWithoutAnswering_ReportsItsExitStatus()
    {
        var result = await Invoke("exit");

        Assert.False(result.Answered);
        Assert.Contains("exit status 3", result.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ReportsThePeakMemoryOfTheFunctionProcess()
    {
        var result = await Invoke("echo");

        Assert.InRange(result.PeakMemoryBytes.GetValueOrDefault(), 1024 * 1024, 1024L * 1024 * 1024);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Invoke_OfAPublishedFolderWithABootstrap_StartsTheBootstrapThere()
    {
        await _runner.BuildAsync(repo.Root, EchoFunctionRepo.LogicalId);
        var published = Path.Combine(repo.Root, ".local", "published-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(published);
        foreach (var file in Directory.GetFiles(BuildFolder))
            File.Copy(file, Path.Combine(published, Path.GetFileName(file)));
        WriteBootstrap(published);

        var result = await _runner.InvokeAsync(Request("echo") with { ArtifactsFolder = published });

        Assert.True(result.Answered, result.Body);
        var answer = JsonNode.Parse(result.Body)!;
        Assert.Equal("bootstrap", answer["FROM_TEST"]?.GetValue<string>());
        Assert.Equal(published, answer["cwd"]?.GetValue<string>());
        Assert.Equal(published, answer["LAMBDA_TASK_ROOT"]?.GetValue<string>());
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Invoke_OfTheMakeBuild_RunsTheAssemblyEvenBesideABootstrap()
    {
        await _runner.BuildAsync(repo.Root, EchoFunctionRepo.LogicalId);
        WriteBootstrap(BuildFolder);
        try
        {
            var result = await Invoke("echo");

            Assert.True(result.Answered, result.Body);
            Assert.Null(JsonNode.Parse(result.Body)!["FROM_TEST"]);
        }
        finally
        {
            File.Delete(Path.Combine(BuildFolder, "bootstrap"));
        }
    }

    [Fact]
    public async Task Invoke_WhenEveryInitSlotIsTaken_StartsTheProcessOnlyOnceOneIsFree()
    {
        using var slots = new SemaphoreSlim(1);
        var runner = new FunctionRunner(TextWriter.Null, TimeProvider.System, slots);
        await runner.BuildAsync(repo.Root, EchoFunctionRepo.LogicalId);
        await slots.WaitAsync();

        var invocation = runner.InvokeAsync(Request("echo"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var waitedForTheSlot = !invocation.IsCompleted;
        slots.Release();
        var result = await invocation;

        Assert.True(waitedForTheSlot);
        Assert.True(result.Answered, result.Body);
        Assert.Equal(1, slots.CurrentCount);
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("error")]
    [InlineData("exit")]
    [InlineData("hang")]
    public async Task Invoke_WithOneInitSlot_RunsConcurrentInvocationsOneInitAtATimeAndGivesTheSlotBack(string action)
    {
        using var slots = new SemaphoreSlim(1);
        var runner = new FunctionRunner(TextWriter.Null, TimeProvider.System, slots);
        await runner.BuildAsync(repo.Root, EchoFunctionRepo.LogicalId);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => runner.InvokeAsync(Request(action))));

        Assert.All(results, r => Assert.Equal(action == "echo", r.Answered));
        Assert.Equal(1, slots.CurrentCount);
    }

    [Fact]
    public async Task Invoke_WhenTheFunctionNeverAsksForItsEvent_TimesOutAtTheGivenInitLimit()
    {
        var runner = new FunctionRunner(TextWriter.Null, TimeProvider.System, initTimeout: TimeSpan.FromSeconds(1));
        await runner.BuildAsync(repo.Root, EchoFunctionRepo.LogicalId);

        var result = await runner.InvokeAsync(Request("echo") with { ProcessEnvironment = new Dictionary<string, string> { ["HANG_IN_INIT"] = "true" } });

        Assert.False(result.Answered);
        Assert.Contains("Init phase timed out after 1 seconds", result.Body, StringComparison.Ordinal);
    }

    private string BuildFolder => Path.Combine(repo.Root, ".local", "artifacts", EchoFunctionRepo.LogicalId);

    /// <summary>A bootstrap that marks its runs, then starts the echo function.</summary>
    [SupportedOSPlatform("linux")]
    private static void WriteBootstrap(string folder)
    {
        var bootstrap = Path.Combine(folder, "bootstrap");
        File.WriteAllText(bootstrap, "#!/bin/sh\nexport FROM_TEST=bootstrap\nexec dotnet \"$(dirname \"$0\")/EchoFunction.dll\"\n");
        File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Task<InvokeResult> Invoke(string action) => _runner.InvokeAsync(Request(action));

    private InvokeRequest Request(string action) =>
        new(repo.Root, EchoFunctionRepo.LogicalId, Encoding.UTF8.GetBytes($$"""{"action":"{{action}}"}"""));
}
