namespace Remediators.IntegrationTests.Resilience.Scenario.EndState;

/// <summary>
/// The pruner in enforce mode at the scenario's "now": every address whose recorded block has ended leaves its IP set, its
/// record and the network ACL deny this suite made for it; addresses without a record of ours (a person's) stay.
/// </summary>
public sealed class PrunerEndState(BlocklistModel blocklist) : IEndStateRules
{
    public bool Owns(string line) => BlocklistModel.Owns(line);

    public void Apply(ScenarioEvent scenarioEvent)
    {
        foreach (var (cidr, _) in blocklist.Records.Where(r => r.Value.ExpiresAt <= ScenarioAccount.Now).ToList())
        {
            blocklist.Records.Remove(cidr);
            if (blocklist.Ipv4.Remove(cidr) || blocklist.Ipv6.Remove(cidr))
                blocklist.Paced.Add(cidr.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4");
            blocklist.NaclDenies.Remove(cidr);
        }
    }

    public IEnumerable<string> Expected() => blocklist.Expected();
}
