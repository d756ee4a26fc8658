using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// Issue 15 item 4: a forged outcome ("To undo: ...") must not reach people or consumers. Only the function roles (and this
/// account's alarms, for the topic) may publish; every other principal of the account is denied, whatever its own IAM policy says.
/// </summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed class PublisherPolicyTests(TransformedTemplate template)
{
    private readonly ResourcePolicySimulator _simulator = new(template);

    private static readonly string OtherRoleInAccount = $"arn:aws:iam::{ResourcePolicySimulator.Account}:role/SomeOperatorRole";
    private const string RoleInAnotherAccount = "arn:aws:iam::999999999999:role/Remediators-PublicIngressRevokerRole";

    [Fact]
    public void NotificationTopic_LetsEveryFunctionRolePublish()
    {
        var policy = TopicPolicy();

        var refused = FunctionRoles().Where(role => _simulator.Evaluate(policy, "sns:Publish", Caller.Role(ResourcePolicySimulator.RoleArn(role))) != PolicyAnswer.Allow);

        Assert.Empty(refused);
    }

    [Fact]
    public void NotificationTopic_DeniesEveryOtherPrincipal_AndAllowsOnlyThisAccountsAlarms()
    {
        var policy = TopicPolicy();
        var ownAlarm = $"arn:aws:cloudwatch:us-east-1:{ResourcePolicySimulator.Account}:alarm:remediators-FailureQueueAlarm";

        Assert.Equal(PolicyAnswer.ExplicitDeny, _simulator.Evaluate(policy, "sns:Publish", Caller.Role(OtherRoleInAccount)));
        Assert.NotEqual(PolicyAnswer.Allow, _simulator.Evaluate(policy, "sns:Publish", Caller.Role(RoleInAnotherAccount)));
        Assert.Equal(PolicyAnswer.Allow, _simulator.Evaluate(policy, "sns:Publish", Caller.AwsService("cloudwatch.amazonaws.com", ResourcePolicySimulator.Account, ownAlarm)));
        Assert.NotEqual(PolicyAnswer.Allow, _simulator.Evaluate(policy, "sns:Publish",
            Caller.AwsService("cloudwatch.amazonaws.com", "999999999999", "arn:aws:cloudwatch:us-east-1:999999999999:alarm:forged")));
        Assert.NotEqual(PolicyAnswer.Allow, _simulator.Evaluate(policy, "sns:Publish",
            Caller.AwsService("events.amazonaws.com", ResourcePolicySimulator.Account, $"arn:aws:events:us-east-1:{ResourcePolicySimulator.Account}:rule/any")));
    }

    [Fact]
    public void OutcomeEventBus_LetsOnlyTheFunctionRolesPutEvents()
    {
        var bus = template.Resource("OutcomeEventBus");
        var policy = bus.GetProperty("Properties").GetProperty("Policy");

        var refused = FunctionRoles().Where(role => _simulator.Evaluate(policy, "events:PutEvents", Caller.Role(ResourcePolicySimulator.RoleArn(role))) != PolicyAnswer.Allow);

        Assert.Equal("CreateOutcomeEventBus", bus.GetProperty("Condition").GetString());
        Assert.Empty(refused);
        Assert.Equal(PolicyAnswer.ExplicitDeny, _simulator.Evaluate(policy, "events:PutEvents", Caller.Role(OtherRoleInAccount)));
        Assert.NotEqual(PolicyAnswer.Allow, _simulator.Evaluate(policy, "events:PutEvents", Caller.Role(RoleInAnotherAccount)));
    }

    private JsonElement TopicPolicy()
    {
        var policies = template.OfType("AWS::SNS::TopicPolicy")
            .Where(p => p.Properties.GetProperty("Topics").EnumerateArray().Any(t => Intrinsics.Ref(t) == "NotificationTopic"))
            .ToList();
        return Assert.Single(policies).Properties.GetProperty("PolicyDocument");
    }

    private List<string> FunctionRoles()
    {
        var roles = template.OfType("AWS::Lambda::Function").Select(f => Intrinsics.GetAtt(f.Properties.GetProperty("Role"), "Arn")!).ToList();
        Assert.NotEmpty(roles);
        return roles;
    }
}
