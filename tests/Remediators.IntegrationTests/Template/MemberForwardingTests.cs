using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// Events reach the hub's functions from every account and region exactly as they do from the hub's own: member-forwarding.yaml
/// forwards what each hub rule matches, with the same pattern, and each CloudTrail/Config rule has a twin on the hub bus.
/// </summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed class MemberForwardingTests(TransformedTemplate hub, MemberTemplates members) : IClassFixture<MemberTemplates>
{
    private const string ForwarderRole = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${MemberRolePrefix}EventForwarder";

    [Fact]
    public void EveryHubRuleWithAPattern_HasAForwardingRule_WithTheSamePattern()
    {
        var forwards = Rules(members.Forwarding).ToDictionary(r => r.Id, r => r.Properties);

        Assert.Equal(Sorted(DefaultBusRules().Select(r => r.Id + "Forward")), Sorted(forwards.Keys));
        Assert.All(DefaultBusRules(), rule =>
            Assert.True(JsonElement.DeepEquals(rule.Properties.GetProperty("EventPattern"), forwards[rule.Id + "Forward"].GetProperty("EventPattern")),
                $"{rule.Id}Forward's pattern differs from {rule.Id}'s"));
    }

    [Fact]
    public void ApiEventsGoToTheHubBus_FindingsToTheHubRegionsDefaultBus_EachWithTheForwarderRole()
    {
        var hubRules = DefaultBusRules().ToDictionary(r => r.Id + "Forward", r => IsFinding(r.Properties));

        Assert.All(Rules(members.Forwarding), rule =>
        {
            var target = Assert.Single(rule.Properties.GetProperty("Targets").EnumerateArray());
            Assert.Equal(ForwarderRole, target.GetProperty("RoleArn").GetProperty("Fn::Sub").GetString());
            if (hubRules[rule.Id])
            {
                Assert.Equal("ForwardsFindings", rule.Condition);
                Assert.Equal("arn:${AWS::Partition}:events:${HubRegion}:${AWS::AccountId}:event-bus/default", target.GetProperty("Arn").GetProperty("Fn::Sub")[0].GetString());
            }
            else
            {
                Assert.Equal("ForwardsApiEvents", rule.Condition);
                Assert.Equal("HubEventBusArn", Intrinsics.Ref(target.GetProperty("Arn")));
            }
        });
    }

    // The hub's own rules read the home region's default bus: forwarding there again would remediate twice. Members never
    // forward findings, which their delegated administrator (the hub) already receives.
    [Theory]
    [InlineData("123456789012", "us-east-1", "true", false, false)]
    [InlineData("123456789012", "eu-west-1", "true", true, true)]
    [InlineData("123456789012", "eu-west-1", "false", true, false)]
    [InlineData("111111111111", "us-east-1", "true", true, false)]
    [InlineData("111111111111", "eu-west-1", "true", true, false)]
    public void Forwarding_DependsOnWhereTheStackIs(string hubAccount, string hubRegion, string forwardFindings, bool apiEvents, bool findings)
    {
        // RolePolicies evaluates as account 123456789012 in us-east-1.
        var conditions = new RolePolicies(members.Forwarding, new Dictionary<string, bool>(), new Dictionary<string, string>
        {
            ["HubEventBusArn"] = $"arn:aws:events:{hubRegion}:{hubAccount}:event-bus/remediators-hub", ["ForwardGuardDutyFindings"] = forwardFindings,
        });

        Assert.Equal((apiEvents, findings), (conditions.IsTrue("ForwardsApiEvents"), conditions.IsTrue("ForwardsFindings")));
    }

    [Fact]
    public void EveryCloudTrailAndConfigRule_HasATwinOnTheHubBus_ForTheSameFunction_AndNoFindingsRuleHasOne()
    {
        var twins = Rules(hub.Root).Where(r => r.Properties.TryGetProperty("EventBusName", out _)).ToDictionary(r => r.Id, r => r);
        var own = DefaultBusRules().Where(r => !IsFinding(r.Properties)).ToList();

        Assert.Equal(Sorted(own.Select(r => r.Id + "OnHubBus")), Sorted(twins.Keys));
        Assert.All(own, rule =>
        {
            var twin = twins[rule.Id + "OnHubBus"];
            Assert.Equal("MemberTargetsOn", twin.Condition);
            Assert.Equal("HubEventBus", Intrinsics.Ref(twin.Properties.GetProperty("EventBusName")));
            Assert.True(JsonElement.DeepEquals(rule.Properties.GetProperty("EventPattern"), twin.Properties.GetProperty("EventPattern")), $"{twin.Id}'s pattern differs");
            Assert.Equal(FunctionOf(rule.Properties), FunctionOf(twin.Properties));
        });
    }

    [Fact]
    public void EveryMemberParameter_IsPassedByItsStackSet_AsTheHubsParameterOfTheSameName_WithTheSameDefault()
    {
        var hubParameters = hub.Root.GetProperty("Parameters");
        foreach (var (template, stackSet) in new[] { (members.Roles, "MemberRolesStackSet"), (members.Forwarding, "MemberForwardingStackSet") })
        {
            var passed = hub.Resource(stackSet).GetProperty("Properties").GetProperty("Parameters").EnumerateArray()
                .ToDictionary(p => p.GetProperty("ParameterKey").GetString()!, p => p.GetProperty("ParameterValue"));
            Assert.All(template.GetProperty("Parameters").EnumerateObject(), parameter =>
            {
                Assert.True(passed.ContainsKey(parameter.Name), $"{stackSet} does not pass {parameter.Name}");
                if (!hubParameters.TryGetProperty(parameter.Name, out var hubParameter))
                    return;
                Assert.Equal(parameter.Name, Intrinsics.Ref(passed[parameter.Name]));
                // A member parameter without a default (OrganizationId) must be given; one with a default must default as the hub does.
                if (parameter.Value.TryGetProperty("Default", out var memberDefault))
                    Assert.Equal(hubParameter.GetProperty("Default").ToString(), memberDefault.ToString());
                Assert.Equal(Allowed(hubParameter), Allowed(parameter.Value));
            });
        }
    }

    [Fact]
    public void RolesStack_DeploysInTheHubRegionOnly_ForwardingInEveryTargetRegion_BothToTheMemberOusAndTheirNewcomers()
    {
        var roles = hub.Resource("MemberRolesStackSet").GetProperty("Properties");
        var forwarding = hub.Resource("MemberForwardingStackSet").GetProperty("Properties");

        Assert.All(new[] { roles, forwarding }, stackSet =>
        {
            Assert.Equal("SERVICE_MANAGED", stackSet.GetProperty("PermissionModel").GetString());
            Assert.True(stackSet.GetProperty("AutoDeployment").GetProperty("Enabled").GetBoolean());
            var group = Assert.Single(stackSet.GetProperty("StackInstancesGroup").EnumerateArray());
            Assert.Equal("""{"Fn::Split":[",",{"Ref":"MemberOrganizationalUnitIds"}]}""", Compact(group.GetProperty("DeploymentTargets").GetProperty("OrganizationalUnitIds")));
        });
        Assert.Equal("""[{"Ref":"AWS::Region"}]""", Compact(roles.GetProperty("StackInstancesGroup")[0].GetProperty("Regions")));
        Assert.Equal("""{"Fn::If":["TargetRegionsGiven",{"Fn::Split":[",",{"Ref":"TargetRegions"}]},[{"Ref":"AWS::Region"}]]}""",
            Compact(forwarding.GetProperty("StackInstancesGroup")[0].GetProperty("Regions")));
    }

    private static string Allowed(JsonElement parameter) => parameter.TryGetProperty("AllowedValues", out var values) ? values.GetRawText() : "";

    private static string Compact(JsonElement value) => JsonSerializer.Serialize(value);

    private static string? FunctionOf(JsonElement rule) => Intrinsics.GetAtt(Assert.Single(rule.GetProperty("Targets").EnumerateArray()).GetProperty("Arn"), "Arn") switch
    {
        "FindingsQueue" => "AttackerIpBlocker",
        var id => id,
    };

    private static bool IsFinding(JsonElement rule) => rule.GetProperty("EventPattern").GetRawText().Contains("aws.guardduty", StringComparison.Ordinal);

    /// <summary>The hub's rules on the default bus that match a pattern (schedules have none).</summary>
    private IEnumerable<(string Id, string? Condition, JsonElement Properties)> DefaultBusRules() =>
        Rules(hub.Root).Where(r => !r.Properties.TryGetProperty("EventBusName", out _) && r.Properties.TryGetProperty("EventPattern", out _));

    private static IEnumerable<(string Id, string? Condition, JsonElement Properties)> Rules(JsonElement template) => MemberTemplates.OfType(template, "AWS::Events::Rule");

    private static List<string> Sorted(IEnumerable<string> ids) => [.. ids.Order(StringComparer.Ordinal)];
}
