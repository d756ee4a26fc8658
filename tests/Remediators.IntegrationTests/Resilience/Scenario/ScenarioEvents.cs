using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.Resilience.Scenario;

/// <summary>
/// One event of a scenario run: the function it reaches, its JSON for a given account, and what a person did first
/// (made straight in moto: the change the event reports), so replayed events keep finding work to do.
/// </summary>
public sealed record ScenarioEvent(string Function, string Label, Func<ScenarioAccount, string> Json)
{
    public Func<ResilienceMoto, ScenarioAccount, Task>? Before { get; init; }

    /// <summary>The revoker's role may not call ELBv2 for this event, so it finds ALBs through their network interfaces.</summary>
    public bool DenyElb { get; init; }

    /// <summary>What the end-state rules know of the event, written where the event is made (never read back from AWS).</summary>
    public EventFacts Facts { get; init; } = new(null, null);

    /// <summary>The region of the function EventBridge delivers the event to: a regional event reaches only that region's stack.</summary>
    public string Region { get; init; } = ResilienceMoto.Region;
}

/// <summary>
/// The event's sample file name and the logical resource it names (group, user, key, bucket, region; null for account-wide
/// events), plus what <see cref="ScenarioEvent.Before"/> did: ports it opened to the world, a key it turned back on, the bucket
/// settings it removed ("encryption", "policy" or both), and the findings a blocker event carries.
/// </summary>
public sealed record EventFacts(string? Sample, string? Target)
{
    public IReadOnlyList<IpPermission> Opened { get; init; } = [];

    public string? Reactivated { get; init; }

    public string? Undone { get; init; }

    public IReadOnlyList<ScenarioFinding> Findings { get; init; } = [];
}

/// <summary>One finding of a blocker event: the remote address, when GuardDuty last saw it, and whether its instance is in the scenario's subnet.</summary>
public sealed record ScenarioFinding(string Address, DateTimeOffset LastSeen, bool InSubnet, string Id);

/// <summary>The samples of events/ aimed at a <see cref="ScenarioAccount"/>, and a seeded mix of them for every function.</summary>
public static class ScenarioEvents
{
    private static readonly string[] Attackers = [.. Enumerable.Range(1, 10).Select(i => $"203.0.113.{i}"), "2001:db8:bad::1", "2001:db8:bad::2"];
    /// <summary>Addresses no finding may get blocked: allowlisted, private, loopback, IPv4-mapped private, link-local.</summary>
    public static readonly string[] NeverBlocked = ["198.51.100.200", "10.1.2.3", "127.0.0.1", "::ffff:192.168.1.1", "fe80::1"];

    /// <summary><paramref name="count"/> events for all five functions, in a random but seeded order.</summary>
    public static IReadOnlyList<ScenarioEvent> Mixed(int count, int seed)
    {
        var random = new Random(seed);
        (int Weight, Func<ScenarioEvent> Make)[] kinds =
        [
            (5, () => Reopen(Pick(random, "web", "trusted", "alb"), random.GetItems([22, 3389, 8080, 9200], 1)[0], random.Next(2) == 0)),
            (2, () => Opening(Revoke("legacy-alb", "reopened 8443 on a group fronting an ALB the revoker may only see through its ENI"),
                ScenarioSeeding.Tcp(8443, "0.0.0.0/0")) with { DenyElb = true }),
            (2, () => Revoke(Pick(random, "tagged", "allowlisted", "compliant"), "an exempt or compliant group")),
            (1, () => Opening(new ScenarioEvent(ScenarioFunctions.Revoker, "ingress opened in the default VPC, named by group name",
                a => Sample("public-ingress-revoker/authorize-security-group-ingress-by-name.json", ("legacy-web", a.GroupNames["default-named"])))
            {
                Facts = new("authorize-security-group-ingress-by-name.json", "default-named"),
            }, ScenarioSeeding.Tcp(22, "0.0.0.0/0"))),
            (1, () => new ScenarioEvent(ScenarioFunctions.Revoker, "Config restricted-ssh on web",
                a => Sample("public-ingress-revoker/config-restricted-ssh-noncompliant.json", ("sg-0a1b2c3d4e5f60718", a.Groups["web"])))
            {
                Facts = new("config-restricted-ssh-noncompliant.json", "web"),
            }),
            (1, () => new ScenarioEvent(ScenarioFunctions.Revoker, "daily sweep of every group", _ => Sample("public-ingress-revoker/scheduled-sweep.json"))
            {
                Facts = new("scheduled-sweep.json", null),
            }),
            (3, () => KeyScan(Pick(random, "stale-old", "mixed-old", "stale-second"))),
            (2, () => ConfigKeyCheck(Pick(random, "config", "fresh", "tagged", "service"))),
            (2, () => CompromisedKey(Pick(random, "compromised-used", "break-glass-old"))),
            (1, () => new ScenarioEvent(ScenarioFunctions.Disabler, "GuardDuty: a role session's temporary key", _ => Sample("unused-key-disabler/guardduty-temporary-key.json"))
            {
                Facts = new("guardduty-temporary-key.json", null),
            }),
            (4, () => BucketEvent(random)),
            (2, () => EbsEvent(random.GetItems(ScenarioAccount.EbsRegions, 1)[0], random.Next(2) == 0)),
            (1, () => new ScenarioEvent(ScenarioFunctions.Enforcer, "Config: an unencrypted volume", _ => Sample("encryption-enforcer/config-encrypted-volumes-noncompliant.json"))
            {
                Facts = new("config-encrypted-volumes-noncompliant.json", null),
            }),
            (5, () => FindingEvent(random)),
            (2, () => new ScenarioEvent(ScenarioFunctions.Pruner, "scheduled prune", _ => Sample("blocklist-pruner/scheduled-prune.json"))
            {
                Facts = new("scheduled-prune.json", null),
            }),
        ];
        var total = kinds.Sum(k => k.Weight);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var pick = random.Next(total);
            foreach (var (weight, make) in kinds)
            {
                if (pick < weight)
                    return make();
                pick -= weight;
            }
            throw new InvalidOperationException("weights do not add up");
        })];
    }

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];

    private static ScenarioEvent KeyScan(string reactivated) =>
        new(ScenarioFunctions.Disabler, $"daily key scan after {reactivated} was turned back on", _ => Sample("unused-key-disabler/scheduled-scan.json"))
        {
            Before = (moto, account) => ActivateAsync(moto, account, reactivated),
            Facts = new("scheduled-scan.json", null) { Reactivated = reactivated },
        };

    private static ScenarioEvent ConfigKeyCheck(string user) =>
        new(ScenarioFunctions.Disabler, $"Config: unused credentials of {user}, named by user id",
            a => Sample("unused-key-disabler/config-unused-credentials-noncompliant.json", ("AIDAEXAMPLEUSERID0001", a.UserIds[user])))
        {
            Before = (moto, account) => ActivateAsync(moto, account, "config-old"),
            Facts = new("config-unused-credentials-noncompliant.json", user) { Reactivated = "config-old" },
        };

    private static ScenarioEvent CompromisedKey(string key) =>
        new(ScenarioFunctions.Disabler, $"GuardDuty: key {key} used from a malicious address",
            a => Sample("unused-key-disabler/guardduty-compromised-long-term-key.json", ("AKIAEXAMPLEKEYID0001", a.Keys[key])))
        {
            Before = (moto, account) => ActivateAsync(moto, account, "compromised-used"),
            Facts = new("guardduty-compromised-long-term-key.json", key) { Reactivated = "compromised-used" },
        };

    public static string Sample(string relativePath, params (string Placeholder, string Value)[] replacements) =>
        LocalInvoke.SampleEvent(relativePath, replacements);

    public static ScenarioEvent Revoke(string group, string label) => new(ScenarioFunctions.Revoker, label,
        a => Sample("public-ingress-revoker/authorize-security-group-ingress.json", ("sg-0a1b2c3d4e5f60718", a.Groups[group])))
    {
        Facts = new("authorize-security-group-ingress.json", group),
    };

    /// <summary>The event, after someone opened <paramref name="permissions"/> on its group first.</summary>
    private static ScenarioEvent Opening(ScenarioEvent scenarioEvent, params IpPermission[] permissions) => scenarioEvent with
    {
        Before = (moto, account) => OpenQuietlyAsync(moto, account, scenarioEvent.Facts.Target!, permissions),
        Facts = scenarioEvent.Facts with { Opened = permissions },
    };

    /// <summary>Someone opens a port of a group to the world again, and CloudTrail reports it (by group id or as a rule change).</summary>
    private static ScenarioEvent Reopen(string group, int port, bool asModify) =>
        Opening(new ScenarioEvent(ScenarioFunctions.Revoker, $"tcp {port} reopened to the world on {group}", a => asModify
            ? Sample("public-ingress-revoker/modify-security-group-rules.json", ("sg-0a1b2c3d4e5f60718", a.Groups[group]))
            : Sample("public-ingress-revoker/authorize-security-group-ingress.json", ("sg-0a1b2c3d4e5f60718", a.Groups[group])))
        {
            Facts = new(asModify ? "modify-security-group-rules.json" : "authorize-security-group-ingress.json", group),
        }, ScenarioSeeding.Tcp(port, "0.0.0.0/0"), ScenarioSeeding.Tcp(port, "::/0"));

    private static ScenarioEvent BucketEvent(Random random)
    {
        var bucket = Pick(random, "plain", "with-policy", "kms", "tagged", "allowlisted", "gone");
        var (sample, undo) = random.Next(5) switch
        {
            0 => ("create-bucket.json", "encryption and policy"),
            1 => ("delete-bucket-encryption.json", "encryption"),
            2 => ("delete-bucket-policy.json", "policy"),
            3 => ("put-bucket-policy.json", "policy"),
            _ => ("config-s3-bucket-ssl-requests-only-noncompliant.json", "policy"),
        };
        return new(ScenarioFunctions.Enforcer, $"{sample} on bucket {bucket}",
            a => Sample($"encryption-enforcer/{sample}", ("remediators-example-bucket", a.Buckets.GetValueOrDefault(bucket, a.Name(bucket)))))
        {
            Before = bucket is "plain" or "with-policy" ? (moto, account) => UndoBucketAsync(moto, account.Buckets[bucket], undo) : null,
            Facts = new(sample, bucket) { Undone = bucket is "plain" or "with-policy" ? undo : null },
        };
    }

    private static ScenarioEvent EbsEvent(string region, bool fromConfig) =>
        new(ScenarioFunctions.Enforcer, $"EBS encryption by default turned off in {region}", _ => fromConfig
            ? Sample("encryption-enforcer/config-ec2-ebs-encryption-by-default-noncompliant.json", ("us-east-1", region))
            : Sample("encryption-enforcer/disable-ebs-encryption-by-default.json", ("us-east-1", region)))
        {
            Before = (moto, _) => ScenarioSeeding.Ec2(moto, region).DisableEbsEncryptionByDefaultAsync(new DisableEbsEncryptionByDefaultRequest()),
            Facts = new(fromConfig ? "config-ec2-ebs-encryption-by-default-noncompliant.json" : "disable-ebs-encryption-by-default.json", region),
            Region = region,
        };

    /// <summary>A finding, or an SQS batch of a few, about attackers of the pool (and addresses never to block).</summary>
    private static ScenarioEvent FindingEvent(Random random)
    {
        var findings = Enumerable.Range(0, random.Next(3) > 0 ? 1 : random.Next(2, 6)).Select(_ => new ScenarioFinding(
            Address: random.Next(6) == 0 ? random.GetItems(NeverBlocked, 1)[0] : random.GetItems(Attackers, 1)[0],
            LastSeen: ScenarioAccount.Now.AddMinutes(-random.Next(1, 600)),
            InSubnet: random.Next(3) > 0,
            Id: $"finding-{random.Next(40)}")).ToList();
        string Render(ScenarioAccount account, int i) =>
            Finding(findings[i].Address, findings[i].LastSeen, findings[i].InSubnet ? account.SubnetId : null, findings[i].Id);
        var facts = new EventFacts(findings.Count == 1 ? "ssh-brute-force.json" : "sqs-batch.json", null) { Findings = findings };
        return findings.Count == 1
            ? new(ScenarioFunctions.Blocker, $"a GuardDuty finding about {findings[0].Address}", a => Render(a, 0)) { Facts = facts }
            : new(ScenarioFunctions.Blocker, $"an SQS batch of {findings.Count} findings", a => Findings.SqsBatch([.. findings.Select((_, i) => Render(a, i))])) { Facts = facts };
    }

    /// <summary>An inbound SSH brute force finding (IPv4 or IPv6 attacker) against an instance in <paramref name="subnetId"/>.</summary>
    public static string Finding(string attacker, DateTimeOffset lastSeen, string? subnetId, string findingId)
    {
        var finding = JsonNode.Parse(Sample("attacker-ip-blocker/ssh-brute-force.json"))!;
        var detail = finding["detail"]!;
        finding["id"] = $"event-{findingId}-{attacker}";
        detail["id"] = findingId;
        detail["service"]!["eventLastSeen"] = lastSeen.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var remote = detail["service"]!["action"]!["networkConnectionAction"]!["remoteIpDetails"]!.AsObject();
        remote.Remove("ipAddressV4");
        remote[attacker.Contains(':', StringComparison.Ordinal) ? "ipAddressV6" : "ipAddressV4"] = attacker;
        detail["resource"]!["instanceDetails"]!["networkInterfaces"]![0]!["subnetId"] = subnetId ?? "subnet-0example0000000002";
        return finding.ToJsonString();
    }

    public static async Task OpenQuietlyAsync(ResilienceMoto moto, ScenarioAccount account, string group, params IpPermission[] permissions)
    {
        foreach (var permission in permissions)
        {
            try
            {
                await ScenarioSeeding.OpenAsync(moto, account, group, permission);
            }
            catch (Amazon.EC2.AmazonEC2Exception error) when (error.ErrorCode == "InvalidPermission.Duplicate")
            {
                // Still open: the event reports it all the same.
            }
        }
    }

    private static Task ActivateAsync(ResilienceMoto moto, ScenarioAccount account, string key) =>
        moto.Clients.Iam(ResilienceMoto.Region).UpdateAccessKeyAsync(account.Users[UserOf(key)], account.Keys[key], "Active", CancellationToken.None);

    private static string UserOf(string key) => key[..key.LastIndexOf('-')];

    private static async Task UndoBucketAsync(ResilienceMoto moto, string bucket, string what)
    {
        var s3 = ScenarioSeeding.S3(moto);
        if (what.Contains("encryption", StringComparison.Ordinal))
            await s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = bucket });
        if (what.Contains("policy", StringComparison.Ordinal))
            await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = ScenarioSeeding.ReadOnlyPolicy(bucket) });
    }
}
