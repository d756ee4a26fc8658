using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using Filter = Amazon.EC2.Model.Filter;
using Remediators.Core.Aws;

namespace Remediators.IntegrationTests.Resilience.Scenario;

/// <summary>
/// Everything the functions can change in a <see cref="ScenarioAccount"/>, read straight from moto as sorted lines in which
/// every id AWS generated is replaced by its logical name: two accounts seeded alike compare line by line.
/// </summary>
public static partial class ScenarioState
{
    public static async Task<IReadOnlyList<string>> ReadAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var lines = new List<string>();
        lines.AddRange(await GroupsAsync(moto, account));
        lines.AddRange(await KeysAsync(moto, account));
        lines.AddRange(await BucketsAsync(moto, account));
        foreach (var region in ScenarioAccount.EbsRegions)
        {
            var on = (await ScenarioSeeding.Ec2(moto, region).GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest())).EbsEncryptionByDefault;
            lines.Add($"ebs {region}: encryption by default {(on == true ? "on" : "off")}");
        }
        lines.AddRange(await BlocklistAsync(moto, account));
        return [.. lines.Order(StringComparer.Ordinal)];
    }

    private static async Task<IEnumerable<string>> GroupsAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var byId = account.Groups.ToDictionary(g => g.Value, g => g.Key);
        var rules = (await ScenarioSeeding.Ec2(moto).DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest
        {
            Filters = [new Filter("group-id", [.. account.Groups.Values])], MaxResults = 1000,
        })).SecurityGroupRules ?? [];
        return rules.Where(r => r.IsEgress != true).Select(r =>
        {
            var ports = r.IpProtocol == "-1" ? "all" : $"{r.IpProtocol} {r.FromPort}-{r.ToPort}";
            var peer = r.CidrIpv4 ?? r.CidrIpv6 ?? (r.ReferencedGroupInfo?.GroupId is { } id ? $"group {byId.GetValueOrDefault(id, id)}" : r.PrefixListId);
            return $"group {byId[r.GroupId]}: {ports} from {peer} ({RuleId().Replace(r.Description ?? "", "sgr-*")})";
        });
    }

    private static async Task<IEnumerable<string>> KeysAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var iam = moto.Clients.Iam(ResilienceMoto.Region);
        var byId = account.Keys.ToDictionary(k => k.Value, k => k.Key);
        var lines = new List<string>();
        foreach (var (logical, user) in account.Users)
        {
            foreach (var key in await iam.ListAccessKeysAsync(user, CancellationToken.None))
                lines.Add($"user {logical}: key {byId.GetValueOrDefault(key.AccessKeyId, "unknown")} {key.Status}");
        }
        return lines;
    }

    private static async Task<IEnumerable<string>> BucketsAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var s3 = ScenarioSeeding.S3(moto);
        var lines = new List<string>();
        foreach (var (logical, bucket) in account.Buckets)
        {
            var rule = (await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }))
                .ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.SingleOrDefault();
            var encryption = rule?.ServerSideEncryptionByDefault is { } d
                ? $"{d.ServerSideEncryptionAlgorithm?.Value} key={d.ServerSideEncryptionKeyManagementServiceKeyId ?? "none"} bucketKey={rule.BucketKeyEnabled}"
                : "none";
            var policy = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket });
            var policyText = policy.HttpStatusCode == System.Net.HttpStatusCode.NotFound ? "none" : JsonNode.Parse(policy.Policy)!.ToJsonString();
            lines.Add($"bucket {logical}: encryption {encryption}");
            lines.Add($"bucket {logical}: policy {policyText}");
        }
        return lines;
    }

    private static async Task<IEnumerable<string>> BlocklistAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var lines = new List<string>();
        var waf = moto.Clients.Wafv2(ResilienceMoto.Region);
        foreach (var (name, arn) in new[] { ("ipv4", account.Ipv4SetArn), ("ipv6", account.Ipv6SetArn) })
        {
            var set = await waf.GetIpSetAsync(IpSetReference.FromArn(arn), CancellationToken.None);
            lines.AddRange(set.IPSet.Addresses.Select(address => $"ip set {name}: {address}"));
        }

        var acl = (await ScenarioSeeding.Ec2(moto).DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest { NetworkAclIds = [account.NetworkAclId] })).NetworkAcls.Single();
        lines.AddRange(acl.Entries.Where(e => e.Egress != true && e.RuleNumber < 32767)
            .Select(e => $"network acl: inbound {e.RuleNumber} {e.RuleAction.Value} {e.CidrBlock ?? e.Ipv6CidrBlock}"));

        var items = (await ScenarioSeeding.DynamoDb(moto).ScanAsync(new ScanRequest { TableName = account.Table, ConsistentRead = true })).Items;
        foreach (var item in items)
        {
            var key = item["pk"].S;
            if (key.StartsWith("address#", StringComparison.Ordinal))
                lines.Add($"record {item["cidr"].S}: first seen {item["firstSeen"].S}, last seen {item["lastSeen"].S}, expires {Unix(item["expiresAt"].N)}, " +
                          $"findings {string.Join(",", item["findingIds"].SS.Order(StringComparer.Ordinal))}");
            else if (key.StartsWith("nacl#", StringComparison.Ordinal))
            {
                // When an entry was recorded is wall-clock time; which entries are ours is what must match.
                lines.AddRange((item.GetValueOrDefault("rules")?.M ?? []).Select(r => $"network acl: rule {r.Key} owned for {r.Value.M["cidr"].S}"));
                if (item.ContainsKey("leaseOwner") || item.ContainsKey("leaseUntil"))
                    lines.Add("network acl: lease still held");
            }
        }
        return lines;
    }

    private static string Unix(string seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(seconds, CultureInfo.InvariantCulture)).ToString("u", CultureInfo.InvariantCulture);

    [GeneratedRegex("sgr-[0-9a-f]+")]
    private static partial Regex RuleId();
}
