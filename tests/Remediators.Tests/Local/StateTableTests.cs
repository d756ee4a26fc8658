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

    [Fact]
    public void Write_WhenTheSameResourceIsInTwoPlaces_MatchesTheExpectedChangeOnlyInItsOwnPlace()
    {
        ExpectedItem[] revokedInSecond = [RevokeSsh[0] with { Place = "member-1, eu-west-1" }];
        var gone = new Dictionary<string, string> { ["ingress tcp 443 from 0.0.0.0/0"] = "allowed" };
        ResourceState[] before = [Before with { Place = "member-1, us-east-1" }, Before with { Place = "member-1, eu-west-1" }];

        var asExpected = new StateTable(before, [before[0], new ResourceState("sg web", gone, "member-1, eu-west-1")], revokedInSecond, dryRun: false);
        var wrongPlace = new StateTable(before, [new ResourceState("sg web", gone, "member-1, us-east-1"), before[1]], revokedInSecond, dryRun: false);
        asExpected.Write(TextWriter.Null);
        wrongPlace.Write(TextWriter.Null);

        Assert.Equal((0, 0), (asExpected.Missing, asExpected.Unexpected));
        Assert.Equal((1, 1), (wrongPlace.Missing, wrongPlace.Unexpected));
    }

    [Fact]
    public void Write_WithPlaces_GroupsTheResourcesUnderOneHeadingPerPlace()
    {
        ResourceState[] states =
        [
            new("sg web", Before.Items, "member-1, us-east-1"), new("user ci", new Dictionary<string, string>(), "member-1, IAM"),
            new("sg db", Before.Items, "member-1, us-east-1"),
        ];
        var output = new StringWriter();

        new StateTable(states, states, [], dryRun: false).Write(output);

        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith(' ')).Skip(2).ToList();
        Assert.Equal(["== member-1, us-east-1 ==", "sg web", "sg db", "== member-1, IAM ==", "user ci"], lines);
    }

    private static StateTable Compare(IReadOnlyDictionary<string, string> after, bool dryRun)
    {
        var table = new StateTable([Before], [new ResourceState("sg web", after)], RevokeSsh, dryRun);
        table.Write(TextWriter.Null);
        return table;
    }
}
