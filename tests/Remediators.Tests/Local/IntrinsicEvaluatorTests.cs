using Remediators.Local;
using Remediators.Local.Template;

namespace Remediators.Tests.Local;

public sealed class IntrinsicEvaluatorTests : IDisposable
{
    private const string Declarations = """
        Parameters:
          Mode:
            Type: String
          Rules:
            Type: CommaDelimitedList
        Conditions:
          IsEnforce: !Equals [!Ref Mode, enforce]
          IsDryRun: !Not [!Condition IsEnforce]
          EnforceInEurope: !And [!Condition IsEnforce, !Equals [!Ref "AWS::Region", eu-west-1]]
          EnforceOrAmerica: !Or [{ Condition: IsEnforce }, !Equals [!Ref "AWS::Region", us-east-1]]
        Mappings:
          Limits:
            eu-west-1:
              MaxGroups: 7
        Resources:
          OutcomeQueue:
            Type: AWS::SQS::Queue
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: Fn
              Runtime: dotnet10
              Environment:
                Variables:
        """;

    private readonly StringWriter _warnings = new();

    [Theory]
    [InlineData("!Ref Mode", "enforce")]
    [InlineData("!Ref AWS::Region", "eu-west-1")]
    [InlineData("!Ref AWS::AccountId", "123456789012")]
    [InlineData("!Ref AWS::Partition", "aws")]
    [InlineData("!Ref AWS::StackName", "remediators-local")]
    [InlineData("!Ref OutcomeQueue", "OutcomeQueue")]
    [InlineData("{ Ref: Mode }", "enforce")]
    [InlineData("10", "10")]
    [InlineData("true", "true")]
    public void Ref_ResolvesParametersPseudoParametersAndResourceIds(string value, string expected) =>
        Assert.Equal(expected, Evaluate(value));

    [Theory]
    [InlineData("!Sub arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${OutcomeQueue}", "arn:aws:sqs:eu-west-1:123456789012:OutcomeQueue")]
    [InlineData("!Sub \"mode-${Mode}\"", "mode-enforce")]
    [InlineData("!Sub \"${!Literal} stays\"", "${Literal} stays")]
    [InlineData("!Sub [\"${Greeting}, ${Mode}\", { Greeting: !Join [\"\", [h, i]] }]", "hi, enforce")]
    [InlineData("{ \"Fn::Sub\": \"${Mode}!\" }", "enforce!")]
    public void Sub_ReplacesParametersPseudoParametersResourcesAndVariables(string value, string expected) =>
        Assert.Equal(expected, Evaluate(value));

    [Fact]
    public void Sub_WithAnAttributeReference_GivesEmptyTextAndWarns()
    {
        Assert.Equal("queue=", Evaluate("!Sub queue=${OutcomeQueue.Arn}"));
        Assert.Contains("OutcomeQueue.Arn", _warnings.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("!If [IsEnforce, yes, no]", "yes")]
    [InlineData("!If [IsDryRun, yes, no]", "no")]
    [InlineData("!If [EnforceInEurope, yes, no]", "yes")]
    [InlineData("!If [EnforceOrAmerica, yes, no]", "yes")]
    [InlineData("{ \"Fn::If\": [IsEnforce, !Ref Mode, other] }", "enforce")]
    public void If_EvaluatesConditionsWithTheResolvedParameters(string value, string expected) =>
        Assert.Equal(expected, Evaluate(value));

    [Fact]
    public void If_WithADryRunMode_TakesTheOtherBranches()
    {
        Assert.Equal("no", Evaluate("!If [IsEnforce, yes, no]", mode: "dry-run"));
        Assert.Equal("yes", Evaluate("!If [IsDryRun, yes, no]", mode: "dry-run"));
    }

    [Fact]
    public void If_ChoosingNoValue_LeavesTheVariableOut()
    {
        var configuration = Resolve("!If [IsDryRun, set, !Ref AWS::NoValue]");

        Assert.False(configuration.Environment.ContainsKey("VALUE"));
    }

    [Theory]
    [InlineData("!Join [\",\", [a, !Ref Mode, c]]", "a,enforce,c")]
    [InlineData("!Join [\"|\", !Ref Rules]", "ssh|rdp")]
    [InlineData("!Join [\"+\", !Split [\",\", \"x,y\"]]", "x+y")]
    [InlineData("!Select [1, !Ref Rules]", "rdp")]
    [InlineData("!FindInMap [Limits, !Ref \"AWS::Region\", MaxGroups]", "7")]
    public void ListFunctions_JoinSelectSplitAndFindInMap(string value, string expected) =>
        Assert.Equal(expected, Evaluate(value));

    [Fact]
    public void GetAtt_GivesEmptyTextAndWarns()
    {
        Assert.Equal("", Evaluate("!GetAtt OutcomeQueue.Arn"));
        Assert.Contains("OutcomeQueue.Arn", _warnings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ref_ToAnUnknownName_IsAConfigurationError()
    {
        var error = Assert.Throws<ConfigurationException>(() => Evaluate("!Ref Nope"));

        Assert.Contains("'Nope'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _warnings.Dispose();

    private string? Evaluate(string value, string mode = "enforce") =>
        Resolve(value, mode).Environment.GetValueOrDefault("VALUE");

    private FunctionConfiguration Resolve(string value, string mode = "enforce")
    {
        var template = SamTemplate.Parse(new StringReader($"{Declarations}\n            VALUE: {value}\n"));
        var parameters = new Dictionary<string, string> { ["Mode"] = mode, ["Rules"] = "ssh,rdp" };
        var evaluator = new IntrinsicEvaluator(template, parameters, "eu-west-1", _warnings);
        return FunctionConfiguration.Resolve(template.GetFunction("Fn"), evaluator);
    }
}
