namespace Remediators.Tests.Local;

/// <summary>
/// A temporary repository with one real executable-assembly function, built by its Makefile like the project's own functions.
/// The function's event says what it does: <c>{"action":"echo"|"error"|"hang"|"exit"}</c>; with HANG_IN_INIT=true it never asks for it.
/// </summary>
public sealed class EchoFunctionRepo : IDisposable
{
    public const string LogicalId = "EchoFunction";

    private const string Template = """
        Parameters:
          Mode:
            Type: String
            Default: dry-run
        Globals:
          Function:
            Timeout: 2
            MemorySize: 256
            Environment:
              Variables:
                MODE: !Ref Mode
        Resources:
          EchoFunction:
            Type: AWS::Serverless::Function
            Properties:
              Handler: EchoFunction
              Runtime: dotnet10
        """;

    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    private const string Program = """"
        using System.Text.Json.Nodes;

        using var http = new HttpClient
        {
            BaseAddress = new Uri($"http://{Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")}/2018-06-01/runtime/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (Environment.GetEnvironmentVariable("HANG_IN_INIT") == "true")
            await Task.Delay(Timeout.Infinite);
        using var next = await http.GetAsync("invocation/next");
        var requestId = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").First();
        var action = JsonNode.Parse(await next.Content.ReadAsStringAsync())!["action"]!.GetValue<string>();
        Console.WriteLine($$"""{"message":"handling {{action}}"}""");
        switch (action)
        {
            case "exit":
                return 3;
            case "hang":
                await Task.Delay(Timeout.Infinite);
                break;
            case "error":
                await http.PostAsync($"invocation/{requestId}/error", new StringContent("""{"errorMessage":"boom","errorType":"Fixture"}"""));
                break;
            default:
                var names = new[]
                {
                    "MODE", "FROM_TEST", "_HANDLER", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_EXECUTION_ENV",
                    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "LAMBDA_TASK_ROOT",
                };
                var response = new JsonObject { ["cwd"] = Environment.CurrentDirectory };
                foreach (var name in names)
                {
                    response[name] = Environment.GetEnvironmentVariable(name);
                }

                await http.PostAsync($"invocation/{requestId}/response", new StringContent(response.ToJsonString()));
                break;
        }

        // Like a real runtime loop, wait for the next event, which a local run never sends.
        await http.GetAsync("invocation/next");
        return 0;
        """";

    private readonly TempRepo _repo = new();

    public EchoFunctionRepo()
    {
        _repo.Write("template.yaml", Template);
        _repo.Write("Makefile", $"build-{LogicalId}:\n\tdotnet publish functions/{LogicalId}/{LogicalId}.csproj -c Release -o \"$(ARTIFACTS_DIR)\"\n");
        _repo.Write($"functions/{LogicalId}/{LogicalId}.csproj", Project);
        _repo.Write($"functions/{LogicalId}/Program.cs", Program);
    }

    public string Root => _repo.Root;

    public void Dispose() => _repo.Dispose();
}
