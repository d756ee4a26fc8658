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
/// Everything the functions can write in a <see cref="ScenarioAccount"/> (ingress and egress rules, tags, key status, bucket
/// encryption, policy statements and tags, EBS defaults, IP sets v4 and v6, network ACL entries both ways, table items), read
/// straight from moto as sorted lines in which every id AWS generated is replaced by its logical name: two accounts seeded
/// alike compare line by line, and any write no rule expects shows as a line.
/// </summary>
public static partial class ScenarioState
{
    public static async Task<IReadOnlyList<string>> ReadAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var lines = new List<string>();
        lines.AddRange(await GroupsAsync(moto, account));
        lines.AddRange(await UsersAsync(moto, account));
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
        var ec2 = ScenarioSeeding.Ec2(moto);
        var rules = (await ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest
        {
            Filters = [new Filter("group-id", [.. account.Groups.Values])], MaxResults = 1000,
        })).SecurityGroupRules ?? [];
        var lines = rules.Select(r =>
        {
            var ports = r.IpProtocol == "-1" ? "all" : $"{r.IpProtocol} {r.FromPort}-{r.ToPort}";
            var peer = r.CidrIpv4 ?? r.CidrIpv6 ?? (r.ReferencedGroupInfo?.GroupId is { } id ? $"group {byId.GetValueOrDefault(id, id)}" : r.PrefixListId);
            var direction = r.IsEgress == true ? "egress " : "";
            return $"group {byId[r.GroupId]}: {direction}{ports} {(r.IsEgress == true ? "to" : "from")} {peer} ({RuleId().Replace(r.Description ?? "", "sgr-*")})";
        }).ToList();
        var groups = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [.. account.Groups.Values] })).SecurityGroups ?? [];
        lines.AddRange(groups.SelectMany(g => (g.Tags ?? []).Select(t => $"group {byId[g.GroupId]}: tag {t.Key}={t.Value}")));
        return lines;
    }

    private static async Task<IEnumerable<string>> UsersAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var iam = moto.Clients.Iam(ResilienceMoto.Region);
        var byId = account.Keys.ToDictionary(k => k.Value, k => k.Key);
        var lines = new List<string>();
        foreach (var (logical, user) in account.Users)
        {
            foreach (var key in await iam.ListAccessKeysAsync(user, CancellationToken.None))
                lines.Add($"user {logical}: key {byId.GetValueOrDefault(key.AccessKeyId, "unknown")} {key.Status}");
            lines.AddRange((await iam.ListUserTagsAsync(user, CancellationToken.None)).Select(t => $"user {logical}: tag {t.Key}={t.Value}"));
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
            lines.Add($"bucket {logical}: encryption {encryption}");
            var policy = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket });
            lines.AddRange(policy.HttpStatusCode == System.Net.HttpStatusCode.NotFound
                ? [$"bucket {logical}: no policy"]
                : PolicyLines(logical, bucket, JsonNode.Parse(policy.Policy)!));
            lines.AddRange((await BucketTagsAsync(s3, bucket)).Select(t => $"bucket {logical}: tag {t.Key}={t.Value}"));
        }
        return lines;
    }

    private static async Task<List<Amazon.S3.Model.Tag>> BucketTagsAsync(Amazon.S3.AmazonS3Client s3, string bucket)
    {
        try
        {
            return (await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket })).TagSet ?? [];
        }
        catch (Amazon.S3.AmazonS3Exception error) when (error.ErrorCode == "NoSuchTagSet")
        {
            return [];
        }
    }

    /// <summary>One line per statement, the bucket's name written as {bucket}; a policy's other top-level fields in one line.</summary>
    private static IEnumerable<string> PolicyLines(string logical, string bucket, JsonNode policy)
    {
        var statements = policy["Statement"] is JsonArray array ? array : new JsonArray(policy["Statement"]?.DeepClone());
        var rest = policy.AsObject().Where(p => p.Key != "Statement").Select(p => $"{p.Key}={p.Value?.ToJsonString()}");
        return [$"bucket {logical}: policy {string.Join(" ", rest)}",
            .. statements.Select(s => $"bucket {logical}: policy statement {s?.ToJsonString().Replace(bucket, "{bucket}", StringComparison.Ordinal)}")];
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
        lines.AddRange(acl.Entries.Where(e => e.RuleNumber < 32767)
            .Select(e => $"network acl: {(e.Egress == true ? "outbound" : "inbound")} {e.RuleNumber} {e.RuleAction.Value} {e.CidrBlock ?? e.Ipv6CidrBlock}"));

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
            else
                lines.Add($"item {key.Replace(account.Ipv4SetArn, "{ipv4 set}", StringComparison.Ordinal).Replace(account.Ipv6SetArn, "{ipv6 set}", StringComparison.Ordinal)}: " +
                          string.Join(", ", item.Keys.Order(StringComparer.Ordinal)));
        }
        return lines;
    }

    private static string Unix(string seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(seconds, CultureInfo.InvariantCulture)).ToString("u", CultureInfo.InvariantCulture);

    [GeneratedRegex("sgr-[0-9a-f]+")]
    private static partial Regex RuleId();
}
