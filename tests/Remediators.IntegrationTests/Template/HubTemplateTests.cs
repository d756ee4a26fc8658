using System.Text.Json;
using System.Text.RegularExpressions;

namespace Remediators.IntegrationTests.Template;

/// <summary>The organization side of template.yaml: nothing of it by default, the hub bus open to the organization only, the
/// member roles assumed one per function, and Firewall Manager putting the hub's blocklist in front of the members' web ACLs.</summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed partial class HubTemplateTests(TransformedTemplate hub)
{
    private static readonly string[] OrganizationParameters =
    [
        "TargetAccounts", "TargetRegions", "OrganizationId", "MemberRolePrefix", "MemberOrganizationalUnitIds", "MemberRolesTemplateUrl",
        "MemberForwardingTemplateUrl", "MemberStackSetCallAs", "SweepConcurrency", "FirewallManagerBlocklist", "FirewallManagerOrganizationalUnitIds", "FirewallManagerRemediation",
    ];

    private static readonly string[] OrganizationTypes = ["AWS::Events::EventBusPolicy", "AWS::CloudFormation::StackSet", "AWS::WAFv2::RuleGroup", "AWS::FMS::Policy"];

    [Fact]
    public void WithTheDefaultParameters_NoResourceOfTheOrganizationIsDeployed_NorDoesAnyResourceReadItsParameters()
    {
        var defaults = new RolePolicies(hub.Root, new Dictionary<string, bool>());
        var organizationConditions = hub.Root.GetProperty("Conditions").EnumerateObject()
            .Where(c => defaults.ParametersOf(c.Name).Intersect(OrganizationParameters).Any()).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var resources = hub.Resources.EnumerateObject().ToList();
        var organizational = resources.Where(r => r.Value.TryGetProperty("Condition", out var c) && organizationConditions.Contains(c.GetString()!)).ToList();
        var deployed = resources.Except(organizational);

        // The kinds only the organization uses, and the bus its rules listen on, must be among them.
        var organizationOnly = resources.Where(r => OrganizationTypes.Contains(r.Value.GetProperty("Type").GetString()!)).Select(r => r.Name)
            .Concat(hub.OfType("AWS::Events::Rule").Select(r => Intrinsics.Property(r.Properties, "EventBusName")).OfType<JsonElement>().Select(b => Intrinsics.Ref(b)!));
        Assert.NotEmpty(organizational);
        Assert.Empty(organizationOnly.Except(organizational.Select(r => r.Name)));
        Assert.All(organizational, r => Assert.False(defaults.IsTrue(r.Value.GetProperty("Condition").GetString()!), $"{r.Name} is deployed by default"));
        var organizationalIds = organizational.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(deployed.SelectMany(r => References(r.Value.GetProperty("Properties"), defaults)
            .Where(name => OrganizationParameters.Contains(name) || organizationalIds.Contains(name)).Select(name => $"{r.Name} -> {name}")));
    }

    [Fact]
    public void HubBus_AcceptsPutEvents_OnlyFromPrincipalsOfTheOrganization()
    {
        var policy = Assert.Single(hub.OfType("AWS::Events::EventBusPolicy"));
        var statement = policy.Properties.GetProperty("Statement");

        Assert.Equal("HubEventBus", Intrinsics.Ref(policy.Properties.GetProperty("EventBusName")));
        Assert.Equal(("Allow", "events:PutEvents"), (statement.GetProperty("Effect").GetString(), statement.GetProperty("Action").GetString()));
        Assert.Equal("HubEventBus", Intrinsics.GetAtt(statement.GetProperty("Resource"), "Arn"));
        var test = Assert.Single(statement.GetProperty("Condition").EnumerateObject());
        var key = Assert.Single(test.Value.EnumerateObject());
        Assert.Equal(("StringEquals", "aws:PrincipalOrgID", "OrganizationId"), (test.Name, key.Name, Intrinsics.Ref(key.Value)));
        Assert.Equal("MemberTargetsOn", hub.Resource("HubEventBus").GetProperty("Condition").GetString());
        Assert.Equal("MemberTargetsOn", hub.Resource(policy.Id).GetProperty("Condition").GetString());
    }

    [Fact]
    public void MemberTargets_RequireTheOrganization()
    {
        var rule = hub.Root.GetProperty("Rules").GetProperty("MemberTargetsNeedTheOrganization");

        Assert.Equal("""{"Fn::Not":[{"Fn::Equals":[{"Ref":"TargetAccounts"},""]}]}""", JsonSerializer.Serialize(rule.GetProperty("RuleCondition")));
        Assert.Equal("""{"Fn::Not":[{"Fn::Equals":[{"Ref":"OrganizationId"},""]}]}""", JsonSerializer.Serialize(Assert.Single(rule.GetProperty("Assertions").EnumerateArray()).GetProperty("Assert")));
    }

    [Theory]
    [MemberData(nameof(PolicyTests.Functions), MemberType = typeof(PolicyTests))]
    public void EachFunction_AssumesOnlyItsOwnMemberRole_InAccountsOfTheOrganization(string function)
    {
        var on = new RolePolicies(hub.Root, new Dictionary<string, bool> { ["MemberTargetsOn"] = true });

        var assume = Assert.Single(on.Statements(function), s => s.Actions.Contains("sts:AssumeRole"));

        Assert.Equal(["sts:AssumeRole"], assume.Actions);
        Assert.Equal([$$"""{"Fn::Sub":"arn:${AWS::Partition}:iam::*:role/${MemberRolePrefix}{{function}}"}"""], assume.Resources);
        Assert.Equal(["aws:ResourceOrgID"], assume.ConditionKeys);
    }

    // The hub reaches its own account's other regions with its own role, so TargetRegions must widen what it scopes to its region.
    [Theory]
    [MemberData(nameof(PolicyTests.Functions), MemberType = typeof(PolicyTests))]
    public void WithTargetRegions_NoTargetSideGrant_IsScopedToTheHubsRegion(string function)
    {
        var conditions = DeclaredActions.Features(function).Select(f => f.Condition).Append("TargetRegionsGiven").Distinct().ToDictionary(c => c, _ => true);
        var statements = new RolePolicies(hub.Root, conditions).Statements(function).Where(s => s.Actions.All(DeclaredActions.IsTargetSide));

        Assert.DoesNotContain(statements, s => s.Resources.Any(r => r.Contains("AWS::Region", StringComparison.Ordinal)));
    }

    [Fact]
    public void FirewallManager_PutsTheRuleGroup_BlockingOnTheBlockersIpSets_FirstInTheCoveredWebAcls()
    {
        var blockerVariables = hub.Resource("AttackerIpBlocker").GetProperty("Properties").GetProperty("Environment").GetProperty("Variables");
        foreach (var (policy, group, v4, v6) in new[]
        {
            ("AttackerBlockFirewallPolicy", "AttackerBlockRuleGroup", "IPV4_IP_SET_ARN", "IPV6_IP_SET_ARN"),
            ("CloudFrontAttackerBlockFirewallPolicy", "CloudFrontAttackerBlockRuleGroup", "CLOUDFRONT_IPV4_IP_SET_ARN", "CLOUDFRONT_IPV6_IP_SET_ARN"),
        })
        {
            var data = hub.Resource(policy).GetProperty("Properties").GetProperty("SecurityServicePolicyData");
            using var service = JsonDocument.Parse(SubVariable().Replace(data.GetProperty("ManagedServiceData").GetProperty("Fn::Sub").GetString()!, "$1"));
            var first = Assert.Single(service.RootElement.GetProperty("preProcessRuleGroups").EnumerateArray());
            var rules = hub.Resource(group).GetProperty("Properties").GetProperty("Rules").EnumerateArray().ToList();

            Assert.Equal("WAFV2", data.GetProperty("Type").GetString());
            Assert.Equal((group + ".Arn", "NONE"), (first.GetProperty("ruleGroupArn").GetString(), first.GetProperty("overrideAction").GetProperty("type").GetString()));
            Assert.All(rules, rule => Assert.True(rule.GetProperty("Action").TryGetProperty("Block", out _)));
            Assert.Equal([blockerVariables.GetProperty(v4).GetRawText(), blockerVariables.GetProperty(v6).GetRawText()],
                rules.Select(r => r.GetProperty("Statement").GetProperty("IPSetReferenceStatement").GetProperty("Arn").GetRawText()));
        }
    }

    /// <summary>The parameters and resources a value names (Ref, GetAtt, ${X} in Sub), following only the branch of each Fn::If the defaults choose.</summary>
    private static IEnumerable<string> References(JsonElement value, RolePolicies defaults) => value.ValueKind switch
    {
        JsonValueKind.Object when value.TryGetProperty("Fn::If", out var choice) =>
            References(defaults.IsTrue(choice[0].GetString()!) ? choice[1] : choice[2], defaults),
        JsonValueKind.Object when Intrinsics.Ref(value) is { } name => [name],
        JsonValueKind.Object when value.TryGetProperty("Fn::GetAtt", out var getAtt) => [getAtt[0].GetString()!],
        JsonValueKind.Object when value.TryGetProperty("Fn::Sub", out var sub) =>
            SubVariable().Matches(sub.ValueKind == JsonValueKind.Array ? sub[0].GetString()! : sub.GetString()!).Select(m => m.Groups[1].Value.Split('.')[0])
                .Concat(sub.ValueKind == JsonValueKind.Array ? References(sub[1], defaults) : []),
        // Every function reads the organization settings from its environment; a variable is not a resource.
        JsonValueKind.Object => value.EnumerateObject().Where(p => p.Name != "Variables").SelectMany(p => References(p.Value, defaults)),
        JsonValueKind.Array => value.EnumerateArray().SelectMany(v => References(v, defaults)),
        _ => [],
    };

    [GeneratedRegex(@"\$\{([^}!]+)\}")]
    private static partial Regex SubVariable();
}
