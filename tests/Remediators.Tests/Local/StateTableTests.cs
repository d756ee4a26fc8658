using Remediators.Local.Demo;

namespace Remediators.Tests.Local;

public sealed class StateTableTests
{
    private static readonly ResourceState Before = new("sg web", new Dictionary<string, string>
    {
        ["ingress tcp 22 from 0.0.0.0/0"] = "allowed",
        ["ingress tcp 443 from 0.0.0.0/0"] = "allowed",
    });

    private static readonly ExpectedItem[] RevokeSsh = [new("sg web", "ingress tcp 22 from 0.0.0.0/0", ExpectedItem.Absent)];

    [Fact]
    public void Write_WhenExactlyTheExpectedChangeHappened_CountsNoFailure()
    {
        var table = Compare(new Dictionary<string, string> { ["ingress tcp 443 from 0.0.0.0/0"] = "allowed" }, dryRun: false);

        Assert.Equal((0, 0, 1), (table.Missing, table.Unexpected, table.ChangesMade));
    }

    [Fact]
    public void Write_WhenTheExpectedChangeDidNotHappen_CountsItMissing()
    {
        var table = Compare(Before.Items, dryRun: false);

        Assert.Equal((1, 0), (table.Missing, table.Unexpected));
    }

    [Fact]
    public void Write_WhenSomethingElseChanged_CountsItUnexpected()
    {
        var table = Compare(new Dictionary<string, string>(), dryRun: false);

        Assert.Equal((0, 1), (table.Missing, table.Unexpected));
    }

    [Fact]
    public void Write_InADryRun_CountsEveryChangeAsUnexpected()
    {
        var table = Compare(new Dictionary<string, string> { ["ingress tcp 443 from 0.0.0.0/0"] = "allowed" }, dryRun: true);

        Assert.Equal((0, 1), (table.Missing, table.Unexpected));
    }

    [Fact]
    public void Write_KeepsEveryLineWithinTheWidth()
    {
        var longName = new ResourceState(new string('r', 150), new Dictionary<string, string> { [new string('i', 150)] = new string('v', 40) });
        var output = new StringWriter();

        new StateTable([longName], [longName], [], dryRun: false).Write(output);

        Assert.All(output.ToString().Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= StateTable.Width, line));
    }

    private static StateTable Compare(IReadOnlyDictionary<string, string> after, bool dryRun)
    {
        var table = new StateTable([Before], [new ResourceState("sg web", after)], RevokeSsh, dryRun);
        table.Write(TextWriter.Null);
        return table;
    }
}
