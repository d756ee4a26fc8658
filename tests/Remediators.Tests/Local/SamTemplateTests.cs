using Remediators.Local;
using Remediators.Local.Template;

namespace Remediators.Tests.Local;

public sealed class SamTemplateTests
{
    private const string Template = """
        Globals:
          Function:
            Handler: GlobalHandler
            Runtime: dotnet10
            Timeout: 60
            MemorySize: 512
            Environment:
              Variables:
                SHARED: from-globals
                OVERRIDDEN: from-globals
        Resources:
          Queue:
            Type: AWS::SQS::Queue
          Revoker:
            Type: AWS::Serverless::Function
            Properties:
              Handler: Revoker
              Timeout: 15
              Environment:
                Variables:
                  OVERRIDDEN: from-function
                  OWN: 42
          Sweeper:
            Type: AWS::Serverless::Function
        """;

    [Fact]
    public void GetFunction_MergesGlobalsAndFunctionVariables_WithTheFunctionWinning()
    {
        var configuration = Resolve("Revoker");

        Assert.Equal(
            new Dictionary<string, string> { ["SHARED"] = "from-globals", ["OVERRIDDEN"] = "from-function", ["OWN"] = "42" },
            configuration.Environment);
    }

    [Fact]
    public void GetFunction_PrefersFunctionSettings_AndFallsBackToGlobalsForTheRest()
    {
        var configuration = Resolve("Revoker");

        Assert.Equal(("Revoker", 15, 512), (configuration.Handler, configuration.TimeoutSeconds, configuration.MemorySizeMb));
    }

    [Fact]
    public void GetFunction_WithoutOwnSettings_UsesGlobals()
    {
        var configuration = Resolve("Sweeper");

        Assert.Equal(("GlobalHandler", 60, 512), (configuration.Handler, configuration.TimeoutSeconds, configuration.MemorySizeMb));
    }

    [Fact]
    public void GetFunction_WhenNeitherFunctionNorGlobalsSetTimeoutOrMemory_UsesLambdaDefaults()
    {
        var template = Parse("""
            Resources:
              Bare:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: Bare
                  Runtime: dotnet10
            """);

        var configuration = FunctionConfiguration.Resolve(template.GetFunction("Bare"), Evaluator(template));

        Assert.Equal((3, 128), (configuration.TimeoutSeconds, configuration.MemorySizeMb));
    }

    [Fact]
    public void GetFunction_WithUnknownId_NamesTheTemplateFunctions()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(Template).GetFunction("Queue"));

        Assert.Contains("Functions: Revoker, Sweeper.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dotnet10", false)]
    [InlineData("provided.al2023", true)]
    public void Resolve_TakesTheRuntimeFromAParameterInGlobals(string runtime, bool native)
    {
        var template = Parse("""
            Parameters:
              FunctionRuntime:
                Type: String
            Globals:
              Function:
                Runtime: !Ref FunctionRuntime
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: Fn
            """);
        var evaluator = new IntrinsicEvaluator(template, new Dictionary<string, string> { ["FunctionRuntime"] = runtime }, "eu-west-1", TextWriter.Null);

        var configuration = FunctionConfiguration.Resolve(template.GetFunction("Fn"), evaluator);

        Assert.Equal((runtime, native), (configuration.Runtime, configuration.IsNative));
    }

    [Theory]
    [InlineData("Runtime: python3.13")]
    [InlineData("")]
    public void Resolve_OfARuntimeTheRunnerCannotStart_IsAConfigurationError(string runtimeLine)
    {
        var template = Parse($"""
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: Fn
                  {runtimeLine}
            """);

        var error = Assert.Throws<ConfigurationException>(() => FunctionConfiguration.Resolve(template.GetFunction("Fn"), Evaluator(template)));

        Assert.Contains("dotnet10 and provided.al2023", error.Message);
    }

    private static FunctionConfiguration Resolve(string logicalId)
    {
        var template = Parse(Template);
        return FunctionConfiguration.Resolve(template.GetFunction(logicalId), Evaluator(template));
    }

    private static IntrinsicEvaluator Evaluator(SamTemplate template) =>
        new(template, new Dictionary<string, string>(), "eu-west-1", TextWriter.Null);

    private static SamTemplate Parse(string yaml) => SamTemplate.Parse(new StringReader(yaml));
}
