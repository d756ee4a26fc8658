namespace Remediators.IntegrationTests.Resilience.Scenario.EndState;

/// <summary>
/// The attacker blocker in enforce mode (24 h retention, NACL denies on): every finding's remote address that is not
/// allowlisted, private, loopback or link-local ends in the IP set of its family (once) and, when the finding's instance
/// is in the scenario's subnet, denied in that subnet's network ACL; its record keeps the first sighting and moves to the
/// latest one (expiry = last seen + 24 h) and lists every finding that named it; a set written to keeps its write-pacing item.
/// </summary>
public sealed class BlockerEndState(BlocklistModel blocklist) : IEndStateRules
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public bool Owns(string line) => BlocklistModel.Owns(line);

    public void Apply(ScenarioEvent scenarioEvent)
    {
        var blockable = scenarioEvent.Facts.Findings.Where(f => !ScenarioEvents.NeverBlocked.Contains(f.Address));
        foreach (var sightings in blockable.GroupBy(f => f.Address))
        {
            var ipv6 = sightings.Key.Contains(':', StringComparison.Ordinal);
            var cidr = $"{sightings.Key}/{(ipv6 ? 128 : 32)}";
            var seen = sightings.Max(f => f.LastSeen);
            var ids = sightings.Select(f => f.Id).ToList();
            if (!blocklist.Records.TryGetValue(cidr, out var record))
                blocklist.Records[cidr] = new(BlocklistModel.Iso(seen), seen, seen + Retention, ids);
            else
                blocklist.Records[cidr] = (seen + Retention > record.ExpiresAt ? record with { LastSeen = seen, ExpiresAt = seen + Retention } : record)
                    with { FindingIds = [.. record.FindingIds.Union(ids)] };
            (ipv6 ? blocklist.Ipv6 : blocklist.Ipv4).Add(cidr);
            blocklist.Paced.Add(ipv6 ? "ipv6" : "ipv4");
            if (sightings.Any(f => f.InSubnet))
                blocklist.NaclDenies.Add(cidr);
        }
    }

    public IEnumerable<string> Expected() => blocklist.Expected();
}
