using Remediators.Core.Remediation;

namespace PublicIngressRevoker;

/// <summary>
/// Gathers the state of the requested groups with as few calls as the decision needs, decides each group,
/// and applies the plans (or only reports them in dry-run).
/// </summary>
internal sealed class GroupRemediation(PublicIngressRevokerSettings settings, ISecurityGroupGateway gateway, bool dryRun)
{
    public const string RevokeAction = "RevokeIngress";
    public const string AuthorizeAction = "AuthorizeIngress";

    /// <summary>Public rules the last run left alone for a person (see <see cref="GroupPlan.ForReview"/>).</summary>
    public int RulesLeftForReview { get; private set; }

    /// <param name="groupIds">The groups an event names, or null for a sweep of every group in the region.</param>
    public async Task<IReadOnlyList<ResourceResult>> RunAsync(IReadOnlyList<string>? groupIds, CancellationToken cancellationToken)
    {
        var rules = await gateway.DescribeRulesAsync(groupIds, cancellationToken);
        var rulesByGroup = rules.ToLookup(r => r.GroupId);
        var results = new List<ResourceResult>();
        var listIds = rules.Where(r => !r.IsEgress).Select(r => r.PrefixListId).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var prefixLists = listIds.Count > 0
            ? await gateway.DescribePrefixListsAsync(listIds, cancellationToken)
            : new Dictionary<string, PrefixList>();

        var exposed = new List<string>();
        foreach (var groupId in groupIds ?? [.. rulesByGroup.Select(g => g.Key).Order(StringComparer.Ordinal)])
        {
            if (PublicIngressPolicy.IsExposed([.. rulesByGroup[groupId]], prefixLists, settings))
                exposed.Add(groupId);
            else if (groupIds is not null)
                results.Add(ResourceResult.NoChange(groupId, OutcomeStatus.AlreadyCompliant,
                    rulesByGroup[groupId].Any() ? "no ingress rule is open to the world" : "the group has no rules or no longer exists"));
        }

        var candidates = await WithoutExemptAsync(exposed, results, cancellationToken);
        // Every exposed group: a wide rule on an ALB group may hold its public ports, and revoking it whole takes the site down.
        var albGroups = candidates.Count > 0
            ? await gateway.FindAlbGroupsAsync(candidates, cancellationToken)
            : new HashSet<string>();

        var changed = 0;
        foreach (var groupId in candidates)
        {
            var isAlb = albGroups.Contains(groupId);
            var plan = PublicIngressPolicy.Decide(groupId, [.. rulesByGroup[groupId]], prefixLists, isAlb, settings);
            RulesLeftForReview += plan.ForReview.Count;
            if (plan.IsEmpty)
            {
                results.Add(plan.ForReview.Count > 0
                    ? ResourceResult.NoChange(groupId, OutcomeStatus.Exempt, ReviewText(plan))
                    : ResourceResult.NoChange(groupId, OutcomeStatus.AlreadyCompliant, KeptReason(plan)));
                continue;
            }
            if (++changed > settings.MaxGroupsPerRun)
            {
                results.Add(new ResourceResult(groupId, OutcomeStatus.Capped,
                    $"not changed: more than {settings.MaxGroupsPerRun} groups need changes in one run", Changes(plan)));
                continue;
            }
            if (!dryRun && await ApplyAsync(plan, cancellationToken) is { } failed)
            {
                results.Add(failed);
                // A group that keeps failing before it changes anything must not use up the cap of the groups after it.
                if (failed.Changes.Count == 0)
                    changed--;
                continue;
            }
            results.Add(new ResourceResult(groupId, dryRun ? OutcomeStatus.DryRun : OutcomeStatus.Remediated, Describe(plan, isAlb, dryRun), Changes(plan)));
        }
        return results;
    }

    private async Task<List<string>> WithoutExemptAsync(List<string> groupIds, List<ResourceResult> results, CancellationToken cancellationToken)
    {
        var exemptions = settings.Exemptions;
        // The tag check costs a DescribeSecurityGroups call, so it is made only when a tag is configured.
        var tags = exemptions.TagKey is not null && groupIds.Count > 0
            ? await gateway.DescribeGroupTagsAsync(groupIds, cancellationToken)
            : new Dictionary<string, IReadOnlyDictionary<string, string>>();
        var remaining = new List<string>();
        foreach (var groupId in groupIds)
        {
            var groupTags = tags.GetValueOrDefault(groupId) ?? new Dictionary<string, string>();
            if (exemptions.ExemptionReason(groupId, groupTags) is { } reason)
                results.Add(ResourceResult.NoChange(groupId, OutcomeStatus.Exempt, reason));
            else
                remaining.Add(groupId);
        }
        return remaining;
    }

    /// <summary>Applies one group's plan; on an error, the group's own Failed result with the changes made before it, else null.</summary>
    private async Task<ResourceResult?> ApplyAsync(GroupPlan plan, CancellationToken cancellationToken)
    {
        // Grant first so the ALB's ports and the trusted networks never lose access between the two calls.
        try
        {
            if (plan.Grants.Count > 0)
                await gateway.AuthorizeIngressAsync(plan.GroupId, plan.Grants, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return ResourceResult.Failed(plan.GroupId, $"adding {plan.Grants.Count} replacement rule(s) before revoking", error, []);
        }
        try
        {
            if (plan.Revocations.Count > 0)
                await gateway.RevokeIngressAsync(plan.GroupId, [.. plan.Revocations.Select(r => r.Rule.RuleId)], cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return ResourceResult.Failed(plan.GroupId, $"revoking {plan.Revocations.Count} public rule(s)", error,
                [.. Changes(plan).Where(c => c.Action == AuthorizeAction)]);
        }
        return null;
    }

    internal static List<Change> Changes(GroupPlan plan) =>
    [
        .. plan.Grants.Select(grant => new Change(AuthorizeAction, grant.GroupId, $"{grant.Description}: {grant.Protocol} {grant.FromPort}-{grant.ToPort} from {grant.Cidr}", new Dictionary<string, string>
        {
            ["groupId"] = grant.GroupId,
            ["protocol"] = grant.Protocol,
            ["fromPort"] = grant.FromPort.ToString(),
            ["toPort"] = grant.ToPort.ToString(),
            ["cidr"] = grant.Cidr,
        }, $"Revoke the added rule: aws ec2 revoke-security-group-ingress --group-id {grant.GroupId} " +
            $"--ip-permissions '{IpPermission(grant.Protocol, grant.FromPort, grant.ToPort, grant.Cidr, description: null)}'")),
        .. plan.Revocations.Select(r => new Change(RevokeAction, r.Rule.RuleId, r.Reason, new Dictionary<string, string>
        {
            ["groupId"] = r.Rule.GroupId,
            ["protocol"] = r.Rule.Protocol,
            ["fromPort"] = r.Rule.FromPort.ToString(),
            ["toPort"] = r.Rule.ToPort.ToString(),
            [r.Rule.Cidr is null ? "prefixListId" : "cidr"] = r.Rule.Cidr ?? r.Rule.PrefixListId!,
            ["description"] = r.Rule.Description ?? "",
        }, $"Authorize the rule again (this re-opens it to {r.Rule.Cidr ?? r.Rule.PrefixListId}): aws ec2 authorize-security-group-ingress --group-id {r.Rule.GroupId} " +
            $"--ip-permissions '{IpPermission(r.Rule.Protocol, r.Rule.FromPort, r.Rule.ToPort, r.Rule.Cidr ?? r.Rule.PrefixListId!, r.Rule.Description)}'")),
    ];

    /// <summary>One permission in the AWS CLI's shorthand syntax; all-traffic rules (-1) take no ports; the source is a CIDR or a prefix list id.</summary>
    private static string IpPermission(string protocol, int fromPort, int toPort, string source, string? description)
    {
        var ports = protocol == "-1" ? "" : $",FromPort={fromPort},ToPort={toPort}";
        // EC2 allows no quotes in rule descriptions, so double quotes inside the single-quoted argument need no escaping.
        var described = string.IsNullOrEmpty(description) ? "" : $",Description=\"{description}\"";
        var range = source.StartsWith("pl-", StringComparison.Ordinal) ? $"PrefixListIds=[{{PrefixListId={source}{described}}}]"
            : source.Contains(':', StringComparison.Ordinal) ? $"Ipv6Ranges=[{{CidrIpv6={source}{described}}}]"
            : $"IpRanges=[{{CidrIp={source}{described}}}]";
        return $"IpProtocol={protocol}{ports},{range}";
    }

    private static string Describe(GroupPlan plan, bool isAlb, bool dryRun) =>
        (dryRun ? "dry run, would revoke " : "revoked ") + $"{plan.Revocations.Count} public rule(s)" +
        (plan.Grants.Count > 0 ? $", {(dryRun ? "would add" : "added")} {plan.Grants.Count} replacement rule(s) first" : "") +
        (isAlb ? $", {plan.Kept.Count} ALB port rule(s) kept" : "") +
        (plan.ForReview.Count > 0 ? "; " + ReviewText(plan) : "");

    private static string ReviewText(GroupPlan plan) =>
        $"left {plan.ForReview.Count} public rule(s) for a person: " + string.Join("; ", plan.ForReview.Select(r => $"{r.Rule.RuleId}: {r.Reason}"));

    private static string KeptReason(GroupPlan plan) => plan.Kept.Count > 0
        ? $"only allowed ALB ports are public ({string.Join(", ", plan.Kept.Select(k => k.Rule.PortText))})"
        : "no ingress rule is open to the world";
}
