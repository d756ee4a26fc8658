using System.Text.Json.Nodes;
using Remediators.Core.Aws;

namespace Remediators.Local.Demo.Scenarios;

/// <summary>
/// A CI user of the same name with an active key in both members. GuardDuty, administered from the hub, finds member 2's
/// key used from a known malicious address: the finding reaches the hub's bus naming member 2 in its detail, and the
/// disabler deactivates that key in member 2, through its role there. Member 1's key stays active. The same finding names
/// its caller on a threat list, so the blocker adds it to the hub's set, the blocklist of every member.
/// </summary>
internal sealed class MemberKeyScenario(DemoOrganization organization) : IDemoScenario
{
    private const string UserName = "ci-deployer";
    private const string SampleKeyId = "AKIAEXAMPLEKEYID0001";
    private const string MaliciousCaller = "198.51.100.23/32";

    private readonly Dictionary<string, string> _keyIds = [];

    public string Description => $"IAM user {UserName} with an active key in both members";

    public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

    public IReadOnlyList<ExpectedItem> ExpectedChanges =>
        [new(Resource, KeyItem(_keyIds[Member2.Account]), "Inactive", Member2.IamPlace), AttackerScenario.BlockedInHub(MaliciousCaller)];

    private static string Resource => $"IAM user {UserName}";

    private DemoMember Member2 => organization.Members[1];

    public async Task SeedAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        foreach (var member in organization.Members)
        {
            var iam = member.Clients.Iam(DemoAccount.Region);
            await iam.CallAsync("CreateUser", [new("UserName", UserName)], cancellationToken);
            var key = (await iam.CallAsync("CreateAccessKey", [new("UserName", UserName)], cancellationToken)).Child("AccessKey")!;
            _keyIds[member.Account] = key.Text("AccessKeyId")!;
        }
    }

    public IReadOnlyList<(string Label, string Json)> Events(DemoAccount account)
    {
        var finding = JsonNode.Parse(AttackerScenario.Now(account.SampleEvent("unused-key-disabler/guardduty-compromised-long-term-key.json",
            (SampleKeyId, _keyIds[Member2.Account]), ("example-user", UserName))))!;
        // The envelope names the GuardDuty administrator (the hub); the detail names the member the finding is about.
        finding["detail"]!["accountId"] = Member2.Account;
        return [($"GuardDuty via the hub: {Member2.Name}'s key, malicious IP", finding.ToJsonString())];
    }

    public async Task<IReadOnlyList<ResourceState>> SnapshotAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var states = new List<ResourceState>();
        foreach (var member in organization.Members)
        {
            var keys = await member.Clients.Iam(DemoAccount.Region).ListAccessKeysAsync(UserName, cancellationToken);
            states.Add(new ResourceState(Resource, keys.ToDictionary(k => KeyItem(k.AccessKeyId), k => k.Status), member.IamPlace));
        }
        return states;
    }

    private static string KeyItem(string keyId) => $"key {keyId}";
}
