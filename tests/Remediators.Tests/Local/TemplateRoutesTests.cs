using Remediators.Local;
using Remediators.Local.Routing;
using Remediators.Local.Template;

namespace Remediators.Tests.Local;

public sealed class TemplateRoutesTests
{
    private const string Template = """
        Parameters:
          Rules:
            Type: String
            Default: rule-a,rule-b
          MinSeverity:
            Type: Number
            Default: 4
          SweepOn:
            Type: String
            Default: "false"
        Conditions:
          Sweeping: !Equals [!Ref SweepOn, "true"]
        Resources:
          Queue:
            Type: AWS::SQS::Queue
          FindingRule:
            Type: AWS::Events::Rule
            Properties:
              EventPattern: !Sub '{"source": ["aws.guardduty"], "detail": {"severity": [{"numeric": [">=", ${MinSeverity}]}]}}'
              Targets:
                - Id: queue
                  Arn: !GetAtt Queue.Arn
          Blocker:
            Type: AWS::Serverless::Function
            Properties:
              Events:
                Findings:
                  Type: SQS
                  Properties:
                    Queue: !GetAtt Queue.Arn
          Revoker:
            Type: AWS::Serverless::Function
            Properties:
              Events:
                Config:
                  Type: EventBridgeRule
                  Properties:
                    Pattern:
                      source: [aws.config]
                      detail:
                        configRuleName: !Split [",", !Ref Rules]
                        count: [{numeric: [">", 0]}]
                        flag: [true]
                        quoted: ["0"]
                Sweep:
                  Type: Schedule
                  Properties:
                    Schedule: rate(1 day)
                    State: !If [Sweeping, ENABLED, DISABLED]
        """;

    [Fact]
    public void Read_TurnsAPatternIntoTheJsonCloudFormationWouldSend()
    {
        var config = Routes().Single(r => r.Rule == "RevokerConfig");

        Assert.Equal(
            """{"source":["aws.config"],"detail":{"configRuleName":["rule-a","rule-b"],"count":[{"numeric":[">",0]}],"flag":[true],"quoted":["0"]}}""",
            config.EventPattern);
    }

    [Fact]
    public void Read_FollowsARuleResourceThroughItsQueueToTheFunctionReadingIt()
    {
        var finding = Routes().Single(r => r.Rule == "FindingRule");

        Assert.Equal(("Blocker", "Queue"), (finding.FunctionId, finding.Via));
        Assert.Equal("""{"source":["aws.guardduty"],"detail":{"severity":[{"numeric":[">=",4]}]}}""", finding.EventPattern);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void Read_GivesASchedulesStateFromItsCondition(string sweepOn, bool enabled)
    {
        var sweep = Routes(new() { ["SweepOn"] = sweepOn }).Single(r => r.Rule == "RevokerSweep");

        Assert.True(sweep.IsSchedule);
        Assert.Equal(enabled, sweep.Enabled);
    }

    [Fact]
    public void Read_WithAPatternThatIsNotJson_FailsNamingTheLine()
    {
        var template = SamTemplate.Parse(new StringReader("""
            Resources:
              Broken:
                Type: AWS::Events::Rule
                Properties:
                  EventPattern: '{"source": '
            """));

        var error = Assert.Throws<ConfigurationException>(() => TemplateRoutes.Read(template, Evaluator(template, new Dictionary<string, string>())));

        Assert.Contains("line 5", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<EventRoute> Routes(Dictionary<string, string>? overrides = null)
    {
        var template = SamTemplate.Parse(new StringReader(Template));
        var parameters = ParameterResolver.Resolve(template, new Dictionary<string, string>(), overrides ?? []);
        return TemplateRoutes.Read(template, Evaluator(template, parameters));
    }

    private static IntrinsicEvaluator Evaluator(SamTemplate template, IReadOnlyDictionary<string, string> parameters) =>
        new(template, parameters, "us-east-1", TextWriter.Null);
}
