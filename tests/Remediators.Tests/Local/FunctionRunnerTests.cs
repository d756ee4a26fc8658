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

    private Task<InvokeResult> Invoke(string action) => _runner.InvokeAsync(Request(action));

    private InvokeRequest Request(string action) =>
        new(repo.Root, EchoFunctionRepo.LogicalId, Encoding.UTF8.GetBytes($$"""{"action":"{{action}}"}"""));
}
