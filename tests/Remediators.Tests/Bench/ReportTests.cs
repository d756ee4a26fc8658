using Remediators.Bench.Proxy;
using Remediators.Bench.Report;

namespace Remediators.Tests.Bench;

public sealed class ReportTests
{
    [Fact]
    public void TextTable_PadsColumnsToTheWidestCellAndRightAlignsNumbers()
    {
        var output = new StringWriter();

        new TextTable("Operation", "Calls", "Seconds")
            .AddRow("iam:ListAccessKeys", 200, 1.5)
            .AddRow("iam:UpdateAccessKey", 2, 12.345)
            .Write(output);

        Assert.Equal(
            [
                "Operation            Calls  Seconds",
                "-------------------  -----  -------",
                "iam:ListAccessKeys     200     1.50",
                "iam:UpdateAccessKey      2    12.35",
            ],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TextTable_RefusesARowWithTheWrongNumberOfCells()
    {
        Assert.Throws<ArgumentException>(() => new TextTable("a", "b").AddRow("only one"));
    }

    [Fact]
    public void CheckReport_WhenOneCheckFails_SaysFailAndReturnsTheFailureExitCode()
    {
        var output = new StringWriter();

        var exitCode = Check.Report([Check.Exactly("addresses lost", 0, 0), Check.AtMost("UpdateIPSet calls (goal)", 21, 20)], output);

        Assert.Equal(1, exitCode);
        Assert.Contains("UpdateIPSet calls (goal)  21        <= 20     FAIL", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("FAIL: 1 of 2 checks" + Environment.NewLine, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckReport_WhenEveryCheckPasses_ReturnsZero()
    {
        Assert.Equal(0, Check.Report([Check.AtMost("max writes to one IP set per second", 1, 1)], TextWriter.Null));
    }

    [Fact]
    public void CallCounts_CountByOperationInFirstSeenOrderAndTellWritesApart()
    {
        var calls = new[] { Call("ec2", "DescribeSecurityGroupRules"), Call("ec2", "RevokeSecurityGroupIngress"), Call("ec2", "RevokeSecurityGroupIngress") };

        var counts = CallCounts.Of(calls);

        Assert.Equal("ec2:DescribeSecurityGroupRules, ec2:RevokeSecurityGroupIngress x2", counts.ToString());
        Assert.Equal((3, 2), (counts.Total, counts.Mutating));
        Assert.Equal("none", CallCounts.Of([]).ToString());
    }

    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    [InlineData(new[] { 7.0 }, 7.0)]
    public void Median_IsTheMiddleOrTheMeanOfTheTwoMiddles(double[] values, double median)
    {
        Assert.Equal(median, Statistics.Median(values));
    }

    private static ProxiedCall Call(string service, string operation) =>
        new(new AwsOperation(service, operation), 200, null, DateTimeOffset.UnixEpoch, null);
}
