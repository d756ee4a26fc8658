using System.Globalization;
using Remediators.Core.Blocklist;

namespace Remediators.IntegrationTests.Resilience.Scenario;

/// <summary>
/// What <see cref="ScenarioSeeding"/> created in one moto, by logical name: every function has something to remediate,
/// something exempt and something already compliant. Names carry <see cref="Suffix"/>, so two accounts seeded with the
/// same suffix in two motos have the same names and differ only in the ids AWS gave them.
/// </summary>
public sealed record ScenarioAccount(string Suffix)
{
    /// <summary>The blocker's and pruner's "now": after every finding's last sighting, before any block the scenario makes expires.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-21T12:30:00Z", CultureInfo.InvariantCulture);

    public const string ExemptTagKey = "security:exempt";
    public const string BreakGlassUser = "break-glass";
    public const string ServicePath = "/service-accounts/";
    public const string AllowlistedAttackers = "198.51.100.200/31";
    public static readonly string[] EbsRegions = ["us-east-1", "us-west-2", "eu-west-1"];

    public string VpcId { get; set; } = "";

    /// <summary>Security group ids by logical name (web, peer, alb, legacy-alb, trusted, tagged, allowlisted, compliant, default-named).</summary>
    public Dictionary<string, string> Groups { get; } = [];

    public Dictionary<string, string> GroupNames { get; } = [];

    /// <summary>IAM user names, user ids and access key ids by logical name.</summary>
    public Dictionary<string, string> Users { get; } = [];

    public Dictionary<string, string> UserIds { get; } = [];

    public Dictionary<string, string> Keys { get; } = [];

    public Dictionary<string, string> Buckets { get; } = [];

    public string Table { get; set; } = "";

    public string Ipv4SetArn { get; set; } = "";

    public string Ipv6SetArn { get; set; } = "";

    public string SubnetId { get; set; } = "";

    public string NetworkAclId { get; set; } = "";

    /// <summary>
    /// The network ACL rule numbers the blocker may use: room for every attacker, since which entry is oldest (the one a full
    /// range gives up) is told apart by wall-clock seconds, which two runs need not share.
    /// </summary>
    public NaclRuleRange NaclRules { get; init; } = new(1, 20);

    public string Name(string logical) => $"{logical}-{Suffix}";

    public BlocklistSettings Blocklist => new(Table, [new IpSetTarget(Ipv4SetArn, false), new IpSetTarget(Ipv6SetArn, true)], NaclRules);
}
