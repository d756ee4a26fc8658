using Remediators.Local;
using Remediators.Local.Template;

namespace Remediators.Tests.Local;

public sealed class SamTemplateTests
{
    private const string Template = """
        Globals:
          Function:
            Handler: GlobalHandler
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

    private static FunctionConfiguration Resolve(string logicalId)
    {
        var template = Parse(Template);
        return FunctionConfiguration.Resolve(template.GetFunction(logicalId), Evaluator(template));
    }

    private static IntrinsicEvaluator Evaluator(SamTemplate template) =>
        new(template, new Dictionary<string, string>(), "eu-west-1", TextWriter.Null);

    private static SamTemplate Parse(string yaml) => SamTemplate.Parse(new StringReader(yaml));
}
