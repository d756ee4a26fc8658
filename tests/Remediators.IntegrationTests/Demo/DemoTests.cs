using Remediators.IntegrationTests.Fixtures;
using Remediators.Local.Demo;

namespace Remediators.IntegrationTests.Demo;

/// <summary>The README's demo commands, run the way `make demo` runs them, each on its own moto.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_InEnforceMode_MakesExactlyTheExpectedRemediations()
    {
        var output = new StringWriter();

        var exitCode = await new DemoRunner(output, dryRun: false).RunAsync(LocalInvoke.RepoRoot, CancellationToken.None);

        var lines = output.ToString().Split('\n');
        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains(lines, l => l.StartsWith("Enforce: ", StringComparison.Ordinal) && l.EndsWith("0 unexpected: PASS", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("ingress tcp 22 from 0.0.0.0/0", StringComparison.Ordinal) && l.Contains("allowed      -", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("notification: Remediated: PublicIngressRevoker sg-", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= StateTable.Width, l));
    }

    [Fact]
    public async Task Demo_InDryRunMode_ReportsThePlanAndChangesNothing()
    {
        var output = new StringWriter();

        var exitCode = await new DemoRunner(output, dryRun: true).RunAsync(LocalInvoke.RepoRoot, CancellationToken.None);

        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("expected changes planned, 0 made: PASS", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_InAnOrganization_ActsOnlyInTheMemberAndRegionEachEventNames_BlocksInTheHubsSet_AndRefusesTheForgedEvent()
    {
        var output = new StringWriter();

        var exitCode = await new DemoRunner(output, dryRun: false, organization: true).RunAsync(LocalInvoke.RepoRoot, CancellationToken.None);

        var text = output.ToString();
        var places = TableByPlace(text);
        Assert.Equal(7, places.Count);
        foreach (var member in new[] { "member-1", "member-2" })
        {
            foreach (var region in new[] { "us-east-1", DemoOrganization.SecondRegion })
            {
                var rules = places.Single(p => p.Key.StartsWith(member + " ", StringComparison.Ordinal) && p.Key.EndsWith(", " + region, StringComparison.Ordinal)).Value;
                var revoked = member == "member-1" && region == DemoOrganization.SecondRegion;
                Assert.Equal(("allowed", revoked ? "-" : "allowed"), rules["ingress tcp 22 from 0.0.0.0/0"]);
                Assert.Equal(("allowed", "allowed"), rules["ingress tcp 5432 from 10.30.0.0/16"]);
            }
            var keys = places.Single(p => p.Key.StartsWith(member + " ", StringComparison.Ordinal) && p.Key.EndsWith("IAM (global)", StringComparison.Ordinal)).Value;
            Assert.Equal(("Active", member == "member-2" ? "Inactive" : "Active"), Assert.Single(keys).Value);
        }
        // Member 2's SSH attacker and the caller of its key, in the hub's set: the blocklist of every member.
        var blocked = places.Single(p => p.Key.StartsWith("hub ", StringComparison.Ordinal)).Value;
        Assert.Equal(new Dictionary<string, (string, string)> { ["198.51.100.23/32"] = ("-", "blocked"), ["203.0.113.45/32"] = ("-", "blocked") }, blocked);
        Assert.Contains($"PublicIngressRevoker: Rejected - the event names account {DemoOrganization.Stranger}", text, StringComparison.Ordinal);
        Assert.True(exitCode == 0, text);
        Assert.Contains("Enforce: 4 of 4 expected changes made, 0 unexpected: PASS", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= StateTable.Width, l));
    }

    /// <summary>The state table's rows under each "== place ==" heading: item → (before, after), read from their columns.</summary>
    private static Dictionary<string, Dictionary<string, (string Before, string After)>> TableByPlace(string output)
    {
        var places = new Dictionary<string, Dictionary<string, (string, string)>>();
        Dictionary<string, (string, string)>? rows = null;
        foreach (var line in output.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("== ", StringComparison.Ordinal))
                places[line.Trim('=', ' ')] = rows = [];
            else if (rows is not null && line.StartsWith("  ", StringComparison.Ordinal) && line.Length > 64)
                rows[line[..50].Trim()] = (line[51..63].Trim(), line[64..Math.Min(76, line.Length)].Trim());
            else if (line.Length == 0)
                rows = null;
        }
        return places;
    }
}
