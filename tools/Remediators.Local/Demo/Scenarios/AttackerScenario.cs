using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Remediators.Core.Aws;

namespace Remediators.Local.Demo.Scenarios;

/// <summary>
/// GuardDuty reports an SSH brute force and a port probe by three hosts against the web stack: every attacker lands in
/// the WAF IPv4 set. The attackers use documentation addresses (RFC 5737), which the blocker refuses by default, so the
/// demo allows them; GuardDuty rates an inbound SSH brute force Low (2), so the demo blocks Low findings too. In an
/// organization the hub's sets are the one blocklist of every member: the SSH brute force is against member 2's instance,
/// as the delegated administrator (the hub) receives it, and its attacker lands in the hub's set.
/// </summary>
internal sealed class AttackerScenario(DemoOrganization? organization = null) : IDemoScenario
{
    // The local runner names a template resource by its logical id, as sam local does.
    private const string Table = "BlocklistTable";
    private const string Ipv4Set = "remediators-attackers-ipv4";
    private static readonly string[] Attackers = ["203.0.113.45/32", "198.51.100.10/32", "198.51.100.11/32", "192.0.2.77/32"];

    private readonly Dictionary<string, string> _parameters = new()
    {
        ["AttackerRefuseDocumentationRanges"] = "false",
        ["AttackerMinSeverity"] = "2",
    };

    public string Description => organization is null
        ? "GuardDuty: an SSH brute force and a port probe by three hosts; empty WAF IP sets"
        : "GuardDuty: an SSH brute force on a member 2 instance; the hub's empty WAF IP sets";

    public IReadOnlyDictionary<string, string> Parameters => _parameters;

    public IReadOnlyList<ExpectedItem> ExpectedChanges => organization is not null ? [BlockedInHub(Attackers[0])] :
        [.. Attackers.Select(cidr => new ExpectedItem(SetResource(Ipv4Set), cidr, "blocked"))];

    public async Task SeedAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        await DynamoDb(account).CreateTableAsync(new CreateTableRequest
        {
            TableName = Table, BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
        }, cancellationToken);
        var waf = account.Clients.Wafv2(DemoAccount.Region);
        foreach (var (version, parameter) in new[] { ("IPV4", "ExistingIpv4IpSetArn"), ("IPV6", "ExistingIpv6IpSetArn") })
        {
            var set = await waf.CreateIpSetAsync($"remediators-attackers-{version.ToLowerInvariant()}", "REGIONAL", version, cancellationToken);
            _parameters[parameter] = (await waf.GetIpSetAsync(set, cancellationToken)).IPSet.ARN;
        }
    }

    public IReadOnlyList<(string Label, string Json)> Events(DemoAccount account) => organization is not null ? [MemberSshBruteForce(account, organization.Members[1])] :
    [
        ("GuardDuty UnauthorizedAccess:EC2/SSHBruteForce", Now(account.SampleEvent("attacker-ip-blocker/ssh-brute-force.json"))),
        ("GuardDuty Recon:EC2/PortProbeUnprotectedPort", Now(account.SampleEvent("attacker-ip-blocker/port-probe-several-probers.json"))),
    ];

    public async Task<IReadOnlyList<ResourceState>> SnapshotAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var waf = account.Clients.Wafv2(DemoAccount.Region);
        var states = new List<ResourceState>();
        foreach (var arn in new[] { _parameters["ExistingIpv4IpSetArn"], _parameters["ExistingIpv6IpSetArn"] })
        {
            var set = (await waf.GetIpSetAsync(IpSetReference.FromArn(arn), cancellationToken)).IPSet;
            states.Add(new ResourceState(SetResource(set.Name), set.Addresses.ToDictionary(a => a, _ => "blocked"), Place));
        }
        return states;
    }

    /// <summary>In an organization: <paramref name="cidr"/> in the hub's IPv4 set, the blocklist of every member.</summary>
    public static ExpectedItem BlockedInHub(string cidr) => new(SetResource(Ipv4Set), cidr, "blocked", DemoOrganization.HubPlace);

    /// <summary>The GuardDuty finding as GuardDuty would send it now: a sighting older than the blocker's retention would be refused as stale.</summary>
    public static string Now(string json)
    {
        var finding = JsonNode.Parse(json)!;
        var now = DateTimeOffset.UtcNow;
        string Iso(TimeSpan ago) => (now - ago).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        finding["time"] = Iso(TimeSpan.Zero);
        finding["detail"]!["createdAt"] = Iso(TimeSpan.FromMinutes(1));
        finding["detail"]!["updatedAt"] = Iso(TimeSpan.FromMinutes(1));
        finding["detail"]!["service"]!["eventFirstSeen"] = Iso(TimeSpan.FromMinutes(30));
        finding["detail"]!["service"]!["eventLastSeen"] = Iso(TimeSpan.FromMinutes(2));
        return finding.ToJsonString();
    }

    private static (string Label, string Json) MemberSshBruteForce(DemoAccount account, DemoMember member)
    {
        var finding = JsonNode.Parse(Now(account.SampleEvent("attacker-ip-blocker/ssh-brute-force.json")))!;
        // The envelope names the GuardDuty administrator (the hub); the detail names the member the finding is about.
        finding["detail"]!["accountId"] = member.Account;
        return ($"GuardDuty via the hub: SSH brute force on {member.Name}'s instance", finding.ToJsonString());
    }

    private string Place => organization is null ? "" : DemoOrganization.HubPlace;

    private static string SetResource(string name) => $"WAF IP set {name}";

    private static AmazonDynamoDBClient DynamoDb(DemoAccount account) =>
        account.Clients.Sdk<AmazonDynamoDBClient, AmazonDynamoDBConfig>(DemoAccount.Region, (c, config) => new AmazonDynamoDBClient(c, config));
}
