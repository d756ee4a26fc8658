using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// member-roles.yaml: each hub function's member role grants exactly the target-side actions its gateways declare, each
/// optional one under the hub's condition of the same name, and only that function's hub execution role may assume it, from
/// inside the organization. IAM lives in this stack alone.
/// </summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed class MemberRolesTests(TransformedTemplate hub, MemberTemplates members) : IClassFixture<MemberTemplates>
{
    private const string Forwarder = "EventForwarderRole";

    public static TheoryData<string> Functions => [.. DeclaredActions.FunctionIds];

    [Theory]
    [MemberData(nameof(Functions))]
    public void MemberRole_WithEveryFeatureOn_GrantsExactlyTheFunctionsTargetSideActions(string function)
    {
        var granted = Policies(function, on: true).GrantedActionsOfRole(RoleOf(function));

        Assert.Equal(Sorted([.. DeclaredActions.TargetSideAlways(function), .. DeclaredActions.TargetSideFeatures(function).SelectMany(f => f.Actions)]), Sorted(granted));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void MemberRole_WithEveryFeatureOff_GrantsOnlyTheTargetSideActionsEveryRunNeeds(string function)
    {
        var granted = Policies(function, on: false).GrantedActionsOfRole(RoleOf(function));

        Assert.Equal(Sorted(DeclaredActions.TargetSideAlways(function)), Sorted(granted));
        Assert.DoesNotContain(granted, action => !DeclaredActions.IsTargetSide(action));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void MemberRole_GrantsEachOptionalAction_OnlyUnderTheHubsConditionOfTheSameName(string function)
    {
        foreach (var feature in DeclaredActions.TargetSideFeatures(function))
        {
            var memberCondition = members.Roles.GetProperty("Conditions").GetProperty(feature.Condition);
            Assert.True(JsonElement.DeepEquals(hub.Root.GetProperty("Conditions").GetProperty(feature.Condition), memberCondition),
                $"{feature.Condition} differs from template.yaml's");
            Assert.All(feature.Actions, action =>
            {
                var guards = StatementGuards.OfRole(members.Roles, RoleOf(function), action).ToList();
                Assert.NotEmpty(guards);
                Assert.All(guards, g => Assert.Contains(feature.Condition, g));
            });
        }
    }

    [Fact]
    public void EveryHubFunction_HasOneMemberRole_NamedWithThePrefixAndItsLogicalId()
    {
        var names = FunctionRoles().Select(r => r.Properties.GetProperty("RoleName").GetProperty("Fn::Sub").GetString()).ToList();

        Assert.Equal(Sorted(DeclaredActions.FunctionIds.Select(f => "${MemberRolePrefix}" + f)), Sorted(names!));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void MemberRole_TrustsOnlyItsFunctionsHubRole_FromInsideTheOrganization(string function)
    {
        var trust = Assert.Single(Properties(RoleOf(function)).GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray());

        Assert.Equal("Allow", trust.GetProperty("Effect").GetString());
        Assert.Equal("sts:AssumeRole", trust.GetProperty("Action").GetString());
        var principal = Assert.Single(trust.GetProperty("Principal").EnumerateObject());
        Assert.Equal("AWS", principal.Name);
        Assert.Equal($"arn:${{AWS::Partition}}:iam::${{HubAccountId}}:role/${{{function}RoleName}}", principal.Value.GetProperty("Fn::Sub").GetString());
        var test = Assert.Single(trust.GetProperty("Condition").EnumerateObject());
        Assert.Equal("StringEquals", test.Name);
        var key = Assert.Single(test.Value.EnumerateObject());
        Assert.Equal(("aws:PrincipalOrgID", "OrganizationId"), (key.Name, Intrinsics.Ref(key.Value)));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void HubStackSet_PassesEachMemberRole_TheExecutionRoleOfItsFunction(string function)
    {
        var executionRole = Intrinsics.GetAtt(hub.Resource(function).GetProperty("Properties").GetProperty("Role"), "Arn");

        Assert.Equal(executionRole, Intrinsics.Ref(StackSetParameter("MemberRolesStackSet", $"{function}RoleName")));
    }

    [Fact]
    public void OnlyTheMemberRolesStack_HoldsIam_AndOnlyRolesAndTheirPolicies()
    {
        Assert.DoesNotContain(members.Forwarding.GetProperty("Resources").EnumerateObject(), r => r.Value.GetProperty("Type").GetString()!.StartsWith("AWS::IAM::", StringComparison.Ordinal));
        Assert.All(members.Roles.GetProperty("Resources").EnumerateObject(), r => Assert.Contains(r.Value.GetProperty("Type").GetString(), RoleTypes));
    }

    // moto's CloudFormation, which the demo deploys the member stacks with, refuses a document holding AWS::NoValue and
    // evaluates a condition naming another wrongly.
    [Fact]
    public void NoMemberPolicy_ChoosesAStatementWithFnIf_NorDoesAMemberConditionNameAnother_SoTheEmulatorDeploysThemRight()
    {
        Assert.All(new[] { members.Roles, members.Forwarding }, template =>
            Assert.DoesNotContain("\"Condition\":", template.GetProperty("Conditions").GetRawText().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.DoesNotContain(MemberTemplates.OfType(members.Roles, "AWS::IAM::Policy"),
            p => p.Properties.GetProperty("PolicyDocument").GetRawText().Contains("Fn::If", StringComparison.Ordinal));
        Assert.All(MemberTemplates.OfType(members.Roles, "AWS::IAM::Role"), r => Assert.False(r.Properties.TryGetProperty("Policies", out _)));
    }

    private static readonly string[] RoleTypes = ["AWS::IAM::Role", "AWS::IAM::Policy"];

    [Theory]
    [InlineData("111111111111", false)]
    [InlineData("123456789012", true)]
    public void EventForwarder_OnlyPutsEvents_OnTheHubBus_AndFromTheHubAccountOnItsRegionsDefaultBus(string hubAccount, bool inHubAccount)
    {
        var policies = new RolePolicies(members.Roles, new Dictionary<string, bool>(), Parameters(hubAccount));
        var statements = policies.RoleStatements(Forwarder).ToList();
        var trust = Assert.Single(Properties(Forwarder).GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray());

        Assert.Equal(["events:PutEvents"], policies.GrantedActionsOfRole(Forwarder));
        string[] onTheHubBus = ["""{"Ref":"HubEventBusArn"}"""];
        Assert.Equal(inHubAccount ? [.. onTheHubBus, DefaultBusOfTheHubRegion] : onTheHubBus, statements.SelectMany(s => s.Resources));
        Assert.Equal("events.amazonaws.com", trust.GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal("AWS::AccountId", Intrinsics.Ref(trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount")));
        Assert.Equal("${MemberRolePrefix}EventForwarder", Properties(Forwarder).GetProperty("RoleName").GetProperty("Fn::Sub").GetString());
    }

    private const string DefaultBusOfTheHubRegion =
        """{"Fn::Sub":["arn:${AWS::Partition}:events:${HubRegion}:${AWS::AccountId}:event-bus/default",{"HubRegion":{"Fn::Select":[3,{"Fn::Split":[":",{"Ref":"HubEventBusArn"}]}]}}]}""";

    private JsonElement StackSetParameter(string stackSet, string key) =>
        hub.Resource(stackSet).GetProperty("Properties").GetProperty("Parameters").EnumerateArray()
            .Single(p => p.GetProperty("ParameterKey").GetString() == key).GetProperty("ParameterValue");

    private IEnumerable<(string Id, string? Condition, JsonElement Properties)> FunctionRoles() =>
        MemberTemplates.OfType(members.Roles, "AWS::IAM::Role").Where(r => r.Id != Forwarder);

    private static string RoleOf(string function) => function + "MemberRole";

    private JsonElement Properties(string role) => members.Roles.GetProperty("Resources").GetProperty(role).GetProperty("Properties");

    private RolePolicies Policies(string function, bool on) =>
        new(members.Roles, DeclaredActions.TargetSideFeatures(function).Select(f => f.Condition).Distinct().ToDictionary(c => c, _ => on), Parameters("111111111111"));

    private static Dictionary<string, string> Parameters(string hubAccount) => new()
    {
        ["HubAccountId"] = hubAccount, ["HubEventBusArn"] = $"arn:aws:events:us-east-1:{hubAccount}:event-bus/remediators-hub",
    };

    private static List<string> Sorted(IEnumerable<string> actions) => [.. actions.Distinct().Order(StringComparer.Ordinal)];
}
