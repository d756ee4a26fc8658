using System.Text;
using PublicIngressRevoker;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>The four steps end to end over a recording gateway: dry-run gating, scope refusals and per-group failures.</summary>
public sealed class FunctionTests
{
    private const string Web = "sg-0000000000000aaa1";
    private const string Alb = "sg-0000000000000aaa2";
    private const string Broken = "sg-0000000000000aaa0";
    private const string OwnArn = "arn:aws:lambda:us-east-1:123456789012:function:PublicIngressRevoker";

    private static readonly PublicIngressRevokerSettings Enforce = new() { Mode = RemediationMode.Enforce };

    private static IngressRule Rule(string group, string protocol, int from, int to, string cidr) => new(
        $"sgr-{group[^4..]}-{protocol}-{from}-{cidr}", group, false, protocol, from, to,
        cidr.Contains(':', StringComparison.Ordinal) ? null : cidr, cidr.Contains(':', StringComparison.Ordinal) ? cidr : null, null, null, null);

    private static readonly IngressRule[] Rules =
    [
        Rule(Broken, "tcp", 22, 22, "0.0.0.0/0"),
        Rule(Web, "tcp", 22, 22, "0.0.0.0/0"), Rule(Web, "tcp", 22, 22, "::/1"),
        Rule(Alb, "-1", -1, -1, "0.0.0.0/0"),
    ];

    private static async Task<(Outcome Outcome, RecordingGateway Gateway)> RunAsync(
        PublicIngressRevokerSettings settings, string sample = "scheduled-sweep.json", Func<string, string>? edit = null, string? arn = OwnArn)
    {
        var gateway = new RecordingGateway(Rules, albGroups: [Alb], failingGroup: Broken);
        var json = File.ReadAllText(Path.Combine(RepoPaths.Events, "public-ingress-revoker", sample));
        var outcome = await new Function(settings, _ => gateway, _ => throw new InvalidOperationException("these tests send no subnet events")).RunAsync(
            Encoding.UTF8.GetBytes(edit?.Invoke(json) ?? json), new InvocationContext("request-1", DateTimeOffset.UtcNow.AddMinutes(1), arn, null), CancellationToken.None);
        return (outcome, gateway);
    }

    [Fact]
    public async Task Run_InDryRun_PlansNarrowingAndRevocationsButMakesNoMutatingCall()
    {
        var (outcome, gateway) = await RunAsync(Enforce with { Mode = RemediationMode.DryRun, TrustedCidrs = [System.Net.IPNetwork.Parse("192.0.2.0/24")] });

        Assert.Equal(OutcomeStatus.DryRun, outcome.Status);
        Assert.Contains(outcome.Resources.SelectMany(r => r.Changes), c => c.Action == GroupRemediation.AuthorizeAction);
        Assert.Contains(outcome.Resources.SelectMany(r => r.Changes), c => c.Action == GroupRemediation.RevokeAction);
        Assert.Empty(gateway.MutatingCalls);
    }

    [Fact]
    public async Task Run_WhenOneGroupFails_ReportsItsOwnFailureAndStillRemediatesTheOthers()
    {
        var (outcome, gateway) = await RunAsync(Enforce with { MaxGroupsPerRun = 2 });

        Assert.Equal(OutcomeStatus.Failed, outcome.Status);
        var byGroup = outcome.Resources.ToDictionary(r => r.ResourceId);
        Assert.Equal("UnauthorizedOperationException", byGroup[Broken].Error);
        Assert.Equal(OutcomeStatus.Remediated, byGroup[Web].Status);
        // The failing group changed nothing, so it does not use up the cap of 2: the ALB group after it is still narrowed.
        Assert.Equal(OutcomeStatus.Remediated, byGroup[Alb].Status);
        Assert.Equal([$"Revoke {Broken}", $"Revoke {Web}", $"Authorize {Alb}", $"Revoke {Alb}"], gateway.MutatingCalls);
        Assert.Equal(1, outcome.Counts["GroupsFailed"]);
    }

    [Theory]
    [InlineData("\"account\": \"123456789012\"", "\"account\": \"210987654321\"", "account 210987654321")]
    [InlineData("\"region\": \"us-east-1\"", "\"region\": \"eu-west-1\"", "region eu-west-1")]
    public async Task Run_WhenTheEventNamesAnotherAccountOrRegion_RefusesItWithoutAnyCall(string field, string other, string reason)
    {
        var (outcome, gateway) = await RunAsync(Enforce, "authorize-security-group-ingress.json", json => json.Replace(field, other, StringComparison.Ordinal));

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Contains(reason, outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(gateway.Calls);
    }

    private sealed class UnauthorizedOperationException(string message) : Exception(message);

    /// <summary>The narrow interface, answering from a fixed set of rules and recording every verb called.</summary>
    private sealed class RecordingGateway(IReadOnlyList<IngressRule> rules, string[] albGroups, string failingGroup) : ISecurityGroupGateway
    {
        public List<string> Calls { get; } = [];

        public IEnumerable<string> MutatingCalls => Calls.Where(c => c.StartsWith("Revoke ", StringComparison.Ordinal) || c.StartsWith("Authorize ", StringComparison.Ordinal));

        public Task<IReadOnlyList<IngressRule>> DescribeRulesAsync(IReadOnlyList<string>? groupIds, CancellationToken cancellationToken)
        {
            Calls.Add("DescribeRules");
            return Task.FromResult<IReadOnlyList<IngressRule>>([.. rules.Where(r => groupIds?.Contains(r.GroupId) ?? true)]);
        }

        public Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> DescribeGroupTagsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken)
        {
            Calls.Add("DescribeGroupTags");
            return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>>(new Dictionary<string, IReadOnlyDictionary<string, string>>());
        }

        public Task<IReadOnlyList<string>> FindGroupIdsByNameAsync(string groupName, CancellationToken cancellationToken)
        {
            Calls.Add("FindGroupIdsByName");
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        public Task<IReadOnlyDictionary<string, PrefixList>> DescribePrefixListsAsync(IReadOnlyList<string> prefixListIds, CancellationToken cancellationToken)
        {
            Calls.Add("DescribePrefixLists");
            return Task.FromResult<IReadOnlyDictionary<string, PrefixList>>(new Dictionary<string, PrefixList>());
        }

        public Task<IReadOnlySet<string>> FindAlbGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken cancellationToken)
        {
            Calls.Add("FindAlbGroups");
            return Task.FromResult<IReadOnlySet<string>>(albGroups.Intersect(groupIds).ToHashSet());
        }

        public Task RevokeIngressAsync(string groupId, IReadOnlyList<string> ruleIds, CancellationToken cancellationToken)
        {
            Calls.Add($"Revoke {groupId}");
            return groupId == failingGroup ? Task.FromException(new UnauthorizedOperationException("explicit deny in a service control policy")) : Task.CompletedTask;
        }

        public Task AuthorizeIngressAsync(string groupId, IReadOnlyList<IngressGrant> grants, CancellationToken cancellationToken)
        {
            Calls.Add($"Authorize {groupId}");
            return Task.CompletedTask;
        }
    }
}
