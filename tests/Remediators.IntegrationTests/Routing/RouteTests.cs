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
    private static readonly Dictionary<string, string> OptionalTriggersOn = new() { ["RevokerSweepEnabled"] = "true" };

    public static TheoryData<string> Samples => [.. Directory.EnumerateFiles(Path.Combine(LocalInvoke.RepoRoot, "events"), "*.json", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(Path.Combine(LocalInvoke.RepoRoot, "events"), path)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_ReachesExactlyTheFunctionItsFolderNames(string sample)
    {
        var function = string.Concat(Path.GetDirectoryName(sample)!.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));

        var reached = await RouteAsync(File.ReadAllText(Path.Combine(LocalInvoke.RepoRoot, "events", sample)), OptionalTriggersOn);

        Assert.Equal([function], reached);
    }

    [Fact]
    public async Task ScheduledSweep_WithTheSweepOffByDefault_ReachesNothing()
    {
        var reached = await RouteAsync(Sample("public-ingress-revoker/scheduled-sweep.json"));

        Assert.Empty(reached);
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

    private Task<IReadOnlyList<string>> RouteAsync(string eventJson, Dictionary<string, string>? overrides = null) =>
        new RouteRunner(moto.Clients, TextWriter.Null).FunctionsReachedAsync(
            LocalInvoke.RepoRoot, Encoding.UTF8.GetBytes(eventJson), overrides ?? [], MotoServer.Region);

    private static string Sample(string relativePath) => LocalInvoke.SampleEvent(relativePath);
}
