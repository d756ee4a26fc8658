using System.Globalization;
using System.Text.RegularExpressions;

namespace Remediators.IntegrationTests.Resilience.Scenario.EndState;

/// <summary>
/// The blocklist as the blocker and the pruner leave it: addresses in the IP sets (v4 and v6), the table's record of each
/// address this suite blocked, and the network ACL denies this suite owns. Lines the model does not know stay as seeded.
/// </summary>
public sealed partial class BlocklistModel
{
    private readonly List<string> _other;

    public BlocklistModel(IReadOnlyList<string> initial)
    {
        var owned = initial.Where(Owns).ToList();
        foreach (var line in owned)
        {
            if (SetLine().Match(line) is { Success: true } set)
                (set.Groups["v"].Value == "ipv6" ? Ipv6 : Ipv4).Add(set.Groups["cidr"].Value);
            else if (RecordLine().Match(line) is { Success: true } record)
                Records[record.Groups["cidr"].Value] = new(record.Groups["first"].Value, Parse(record.Groups["last"].Value), Parse(record.Groups["expires"].Value),
                    [.. record.Groups["findings"].Value.Split(',')]);
            else if (OwnedLine().Match(line) is { Success: true } rule)
                NaclDenies.Add(rule.Groups["cidr"].Value);
        }
        // Denies are matched by address: which rule number an entry takes is the blocker's choice.
        _other = [.. owned.Where(l => !SetLine().IsMatch(l) && !RecordLine().IsMatch(l) && !OwnedLine().IsMatch(l)
            && !NaclDenies.Any(cidr => l.StartsWith("network acl: inbound ", StringComparison.Ordinal) && l.EndsWith($" deny {cidr}", StringComparison.Ordinal)))];
    }

    public HashSet<string> Ipv4 { get; } = [];

    public HashSet<string> Ipv6 { get; } = [];

    public Dictionary<string, BlockRecord> Records { get; } = [];

    /// <summary>The sets (ipv4, ipv6) a function wrote to: each keeps the item that paces its writes.</summary>
    public HashSet<string> Paced { get; } = [];

    /// <summary>Addresses with a network ACL deny this suite made (and owns).</summary>
    public HashSet<string> NaclDenies { get; } = [];

    public static bool Owns(string line) =>
        line.StartsWith("ip set ", StringComparison.Ordinal) || line.StartsWith("record ", StringComparison.Ordinal) ||
        line.StartsWith("network acl", StringComparison.Ordinal) || line.StartsWith("item ", StringComparison.Ordinal);

    public IEnumerable<string> Expected() =>
    [
        .. _other,
        .. Ipv4.Select(cidr => $"ip set ipv4: {cidr}"), .. Ipv6.Select(cidr => $"ip set ipv6: {cidr}"),
        .. Records.Select(r => $"record {r.Key}: first seen {r.Value.FirstSeen}, last seen {Iso(r.Value.LastSeen)}, " +
            $"expires {r.Value.ExpiresAt.ToString("u", CultureInfo.InvariantCulture)}, findings {string.Join(",", r.Value.FindingIds.Order(StringComparer.Ordinal))}"),
        .. Paced.Select(set => $"item pace#{{{set} set}}: deleteAfter, nextWriteAt, pk"),
        .. NaclDenies.SelectMany(cidr => new[] { $"network acl: inbound {ExpectedState.Any} deny {cidr}", $"network acl: rule {ExpectedState.Any} owned for {cidr}" }),
    ];

    public static string Iso(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [GeneratedRegex(@"^ip set (?<v>ipv4|ipv6): (?<cidr>\S+)$")]
    private static partial Regex SetLine();

    [GeneratedRegex(@"^record (?<cidr>\S+): first seen (?<first>\S+), last seen (?<last>\S+), expires (?<expires>.+), findings (?<findings>\S*)$")]
    private static partial Regex RecordLine();

    [GeneratedRegex(@"^network acl: rule \d+ owned for (?<cidr>\S+)$")]
    private static partial Regex OwnedLine();
}

/// <summary>What the table holds for one blocked address: first seen as recorded, the latest sighting, when its block ends, the findings.</summary>
public sealed record BlockRecord(string FirstSeen, DateTimeOffset LastSeen, DateTimeOffset ExpiresAt, IReadOnlyList<string> FindingIds);
