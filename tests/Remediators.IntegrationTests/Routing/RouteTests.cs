using System.Text;
using System.Text.Json.Nodes;
using Remediators.IntegrationTests.Fixtures;
using Remediators.Local.Routing;

namespace Remediators.IntegrationTests.Routing;

/// <summary>
/// Every sample under events/ goes through the template's real rules on moto's EventBridge (the `route` command's
/// path) and reaches exactly the function its folder names; near-misses reach none.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class RouteTests(MotoServer moto)
{
    // Optional triggers are switched on so that every sample has a route; their defaults are checked separately.
    // GuardDuty rates an inbound SSH brute force Low (2), below the blocker's default minimum of 4.
    private static readonly Dictionary<string, string> OptionalTriggersOn = new() { ["RevokerSweepEnabled"] = "true", ["AttackerMinSeverity"] = "2" };

    public static TheoryData<string> Samples => [.. Directory.EnumerateFiles(Path.Combine(LocalInvoke.RepoRoot, "events"), "*.json", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(Path.Combine(LocalInvoke.RepoRoot, "events"), path)).Order(StringComparer.Ordinal)];

    // A GuardDuty finding about an IAM access key used from a remote address concerns both the key and the address.
    private static readonly Dictionary<string, string[]> AlsoReached = new()
    {
        ["unused-key-disabler/guardduty-compromised-long-term-key.json"] = ["AttackerIpBlocker"],
        ["unused-key-disabler/guardduty-temporary-key.json"] = ["AttackerIpBlocker"],
        ["attacker-ip-blocker/iam-api-call-from-malicious-ip.json"] = ["UnusedKeyDisabler"],
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_ReachesExactlyTheFunctionItsFolderNames(string sample)
    {
        var function = string.Concat(Path.GetDirectoryName(sample)!.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
        var json = File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "events", sample));

        // An SQS batch is what the function's queue delivers, not an EventBridge event: each message body took the route.
        if (JsonNode.Parse(json)!["Records"] is JsonArray records)
        {
            foreach (var body in records.Select(r => r!["body"]!.GetValue<string>()))
                Assert.Contains(function, await RouteAsync(body, OptionalTriggersOn));
            return;
        }

        var reached = await RouteAsync(json, OptionalTriggersOn);

        string[] expected = [function, .. AlsoReached.GetValueOrDefault(sample.Replace('\\', '/'), [])];
        Assert.Equal(expected.Order(StringComparer.Ordinal), reached.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ScheduledSweep_WithTheSweepOffByDefault_ReachesNothing()
    {
        var reached = await RouteAsync(Sample("public-ingress-revoker/scheduled-sweep.json"));

        Assert.Empty(reached);
    }

    [Fact]
    public async Task GuardDutyFinding_BelowTheBlockersMinimumSeverity_ReachesNothing()
    {
        var low = JsonNode.Parse(Sample("attacker-ip-blocker/ssh-brute-force.json"))!;
        low["detail"]!["severity"] = 2;

        Assert.Empty(await RouteAsync(low.ToJsonString()));
        Assert.Equal(["AttackerIpBlocker"], await RouteAsync(low.ToJsonString(), new() { ["AttackerMinSeverity"] = "2" }));
    }

    [Fact]
    public async Task CloudTrailCall_ThatFailed_ReachesNothing()
    {
        var failed = JsonNode.Parse(Sample("public-ingress-revoker/authorize-security-group-ingress.json"))!;
        failed["detail"]!["errorCode"] = "Client.UnauthorizedOperation";

        Assert.Empty(await RouteAsync(failed.ToJsonString()));
    }

    [Fact]
    public async Task Event_WithAnotherDetailType_ReachesNothing()
    {
        var other = JsonNode.Parse(Sample("public-ingress-revoker/authorize-security-group-ingress.json"))!;
        other["detail-type"] = "AWS Service Event via CloudTrail";

        Assert.Empty(await RouteAsync(other.ToJsonString()));
    }

    [Fact]
    public async Task Event_FromAnotherSource_ReachesNothing()
    {
        var other = JsonNode.Parse(Sample("unused-key-disabler/config-unused-credentials-noncompliant.json"))!;
        other["source"] = "aws.securityhub";

        Assert.Empty(await RouteAsync(other.ToJsonString()));
    }

    [Fact]
    public async Task ComplianceChange_FromARuleNotConfigured_ReachesNothing()
    {
        var other = JsonNode.Parse(Sample("public-ingress-revoker/config-restricted-ssh-noncompliant.json"))!;
        other["detail"]!["configRuleName"] = "some-other-rule";

        Assert.Empty(await RouteAsync(other.ToJsonString()));
    }

    [Fact]
    public async Task ComplianceChange_ToARuleNamedInAParameterOverride_Reaches()
    {
        var other = JsonNode.Parse(Sample("public-ingress-revoker/config-restricted-ssh-noncompliant.json"))!;
        other["detail"]!["configRuleName"] = "our-own-sg-rule";

        var reached = await RouteAsync(other.ToJsonString(), new() { ["RevokerConfigRuleNames"] = "our-own-sg-rule" });

        Assert.Equal(["PublicIngressRevoker"], reached);
    }

    // With member targets on, each CloudTrail/Config rule has a twin on the hub bus: the same pattern, the same function.
    [Fact]
    public async Task CloudTrailCall_WithMemberTargetsOn_ReachesOnlyItsFunction()
    {
        var reached = await RouteAsync(Sample("public-ingress-revoker/authorize-security-group-ingress.json"),
            new() { ["TargetAccounts"] = "111111111111", ["OrganizationId"] = "o-example1234" });

        Assert.Equal(["PublicIngressRevoker"], reached);
    }

    [Theory]
    [InlineData("public-ingress-revoker/modify-subnet-attribute-map-public-ip.json")]
    [InlineData("public-ingress-revoker/create-subnet.json")]
    [InlineData("public-ingress-revoker/create-default-subnet.json")]
    public async Task SubnetCall_ThatFailed_ReachesNothing(string sample)
    {
        var failed = JsonNode.Parse(Sample(sample))!;
        failed["detail"]!["errorCode"] = "Client.UnauthorizedOperation";

        Assert.Empty(await RouteAsync(failed.ToJsonString()));
    }

    [Fact]
    public async Task SubnetComplianceChange_FromARuleNotConfigured_ReachesNothing()
    {
        var other = JsonNode.Parse(Sample("public-ingress-revoker/config-subnet-auto-assign-public-ip-noncompliant.json"))!;
        other["detail"]!["configRuleName"] = "some-other-rule";

        Assert.Empty(await RouteAsync(other.ToJsonString()));
    }

    [Theory]
    [InlineData("public-ingress-revoker/modify-subnet-attribute-map-public-ip.json")]
    [InlineData("public-ingress-revoker/config-subnet-auto-assign-public-ip-noncompliant.json")]
    public async Task SubnetEvent_WithMemberTargetsOn_ReachesOnlyTheRevoker(string sample)
    {
        var reached = await RouteAsync(Sample(sample), new() { ["TargetAccounts"] = "111111111111", ["OrganizationId"] = "o-example1234" });

        Assert.Equal(["PublicIngressRevoker"], reached);
    }

    private Task<IReadOnlyList<string>> RouteAsync(string eventJson, Dictionary<string, string>? overrides = null) =>
        new RouteRunner(moto.Clients, TextWriter.Null).FunctionsReachedAsync(
            LocalInvoke.RepoRoot, Encoding.UTF8.GetBytes(eventJson), overrides ?? [], MotoServer.Region);

    private static string Sample(string relativePath) => LocalInvoke.SampleEvent(relativePath);
}
