using System.Net;
using AttackerIpBlocker;
using FsCheck.Xunit;
using Remediators.Core.Blocklist;
using Remediators.Core.Events;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;
using Remediators.Tests.Blocklist;
using static Remediators.Tests.AttackerIpBlocker.FindingGenerators;

namespace Remediators.Tests.AttackerIpBlocker;

public sealed class AttackerIpPolicyTests
{
    private static readonly AttackerIpBlockerSettings Settings = new()
    {
        Blocklist = new BlocklistSettings("table", [], new NaclRuleRange(1, 10)),
        Addresses = new AddressRules([IPNetwork.Parse("8.8.0.0/16")], RefuseDocumentationRanges: true),
    };

    [Fact]
    public void RemoteAddresses_TakesEveryAddressOfEveryActionType()
    {
        var finding = Finding(new FindingAction(new NetworkConnectionAction("INBOUND", new RemoteIpDetails("1.1.1.1", "2606:4700::1")),
            new RemoteIpAction(new RemoteIpDetails("1.1.1.2", null)),
            new PortProbeAction([new PortProbeDetail(new RemoteIpDetails("1.1.1.3", null)), new PortProbeDetail(new RemoteIpDetails("1.1.1.4", null))]),
            new RemoteIpAction(new RemoteIpDetails(null, "2606:4700::5")),
            new RemoteIpAction(new RemoteIpDetails("1.1.1.6", null))));

        var texts = AttackerIpPolicy.RemoteAddresses(finding).Select(a => a.Text);

        Assert.Equal(["1.1.1.1", "2606:4700::1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "2606:4700::5", "1.1.1.6"], texts);
    }

    [Fact]
    public void Decide_AnInboundPublicAttacker_IsBlockedForTheRetentionAfterItsLastSighting()
    {
        var decision = Decide(new ReceivedFinding("m", Envelope(), Finding(Inbound("1.1.1.1"), lastSeen: Now.AddHours(-2))), Settings);

        Assert.Equal("1.1.1.1/32", Assert.Single(decision.Addresses).Block!.Cidr);
        Assert.Equal(Now.AddHours(-2), decision.SeenAt);
        Assert.Equal(["subnet-1"], decision.SubnetIds);
    }

    [Theory]
    [InlineData("ACTOR", "INBOUND", 5.0, "not TARGET")]
    [InlineData(null, "INBOUND", 5.0, "resourceRole is missing")]
    [InlineData("TARGET", "OUTBOUND", 5.0, "direction is OUTBOUND")]
    [InlineData("TARGET", "INBOUND", 3.9, "severity 3.9 is below")]
    public void Decide_WhenTheRemoteSideDidNotAttackOrTheFindingIsTooWeak_RefusesWithTheReason(string? role, string direction, double severity, string reason)
    {
        var decision = Decide(new ReceivedFinding("m", Envelope(), Finding(Inbound("1.1.1.1", direction: direction), role, severity)), Settings);

        var address = Assert.Single(decision.Addresses);
        Assert.Null(address.Block);
        Assert.Contains(reason, address.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AFindingOlderThanTheRetention_IsNotBlocked() =>
        Assert.Contains("more than 24 h ago", Assert.Single(Decide(
            new ReceivedFinding("m", Envelope(), Finding(Inbound("1.1.1.1"), lastSeen: Now.AddHours(-25))), Settings).Addresses).Refusal, StringComparison.Ordinal);

    [Fact]
    public void Decide_WithTypePrefixes_BlocksOnlyMatchingTypes()
    {
        var settings = Settings with { FindingTypePrefixes = ["Recon:"] };

        var decision = Decide(new ReceivedFinding("m", Envelope(), Finding(ApiCall("1.1.1.1"))), settings);

        Assert.Contains("matches none of FINDING_TYPE_PREFIXES", Assert.Single(decision.Addresses).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ASightingAheadOfNow_CountsAsNow() =>
        Assert.Equal(Now, Decide(new ReceivedFinding("m", Envelope(), Finding(ApiCall("1.1.1.1"), lastSeen: Now.AddDays(3))), Settings).SeenAt);

    [Theory]
    [InlineData("210987654321", "us-east-1", "123456789012", "us-east-1", "the finding names account 210987654321")]
    [InlineData("123456789012", "eu-west-1", "123456789012", "us-east-1", "the finding names region eu-west-1")]
    [InlineData("123456789012", "us-east-1", "210987654321", "us-east-1", "the event names account 210987654321")]
    [InlineData("123456789012", "us-east-1", "123456789012", "eu-west-1", "the event names region eu-west-1")]
    public void Decide_AFindingOfAnotherAccountOrRegion_BlocksNothingAndNamesNoSubnet(
        string findingAccount, string findingRegion, string envelopeAccount, string envelopeRegion, string reason)
    {
        var finding = Finding(Inbound("1.1.1.1"), account: findingAccount) with { Region = findingRegion };

        var decision = Decide(new ReceivedFinding("m", Envelope(envelopeAccount, envelopeRegion), finding), Settings);

        Assert.Null(Assert.Single(decision.Addresses).Block);
        Assert.Contains(reason, decision.Addresses[0].Refusal, StringComparison.Ordinal);
        Assert.Empty(decision.SubnetIds);
    }

    [Fact]
    public void Decide_WhenTheFunctionsOwnAccountIsUnknown_BlocksNothing()
    {
        var unknown = TargetResolution.Refused(FunctionScope.UnknownScopeReason);

        var decision = AttackerIpPolicy.Decide(new ReceivedFinding("m", Envelope(), Finding(Inbound("1.1.1.1"))), new DecisionContext(Now, unknown, Own), Settings);

        Assert.Equal(FunctionScope.UnknownScopeReason, Assert.Single(decision.Addresses).Refusal);
        Assert.Empty(decision.SubnetIds);
    }

    [Fact]
    public void Decide_ASampleFinding_BlocksNothing()
    {
        var sample = Finding(Inbound("1.1.1.1"));
        sample = sample with { Service = sample.Service! with { AdditionalInfo = System.Text.Json.JsonDocument.Parse("""{"sample":true,"type":"default"}""").RootElement } };

        var decision = Decide(new ReceivedFinding("m", Envelope(), sample), Settings);

        Assert.Contains("sample finding", Assert.Single(decision.Addresses).Refusal, StringComparison.Ordinal);
        Assert.Empty(decision.SubnetIds);
    }

    [Theory]
    [InlineData("54.214.10.20", "Elastic IP eipalloc-1")]
    [InlineData("54.214.10.21", "NAT gateway nat-1")]
    [InlineData("::ffff:54.214.10.21", "NAT gateway nat-1")]
    public void Decide_TheAccountsOwnPublicAddress_IsRefusedNamingWhatHoldsIt(string attacker, string holder)
    {
        var decision = Decide(new ReceivedFinding("m", Envelope(), Finding(Inbound(attacker))), Settings);

        Assert.Equal($"the account's own public address ({holder})", Assert.Single(decision.Addresses).Refusal);
    }

    [Theory]
    [InlineData("Discovery:IAMUser/AnomalousBehavior", "api")]
    [InlineData("Execution:Kubernetes/ExecInKubeSystemPod", "kubernetes")]
    [InlineData("CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin", "rds")]
    [InlineData("Recon:IAMUser/MaliciousIPCallerLookalike", "api")]
    public void Decide_AnApiCallerNotOnAThreatList_IsRefusedUnlessOptedIn(string type, string action)
    {
        var finding = Finding(Caller(action, "1.1.1.1"), type: type);

        var byDefault = Assert.Single(Decide(new ReceivedFinding("m", Envelope(), finding), Settings).Addresses);
        var optedIn = Assert.Single(Decide(new ReceivedFinding("m", Envelope(), finding), Settings with { BlockApiCallerFindings = true }).Addresses);

        Assert.Null(byDefault.Block);
        Assert.Contains("names the caller of an API", byDefault.Refusal, StringComparison.Ordinal);
        Assert.Contains("BLOCK_API_CALLER_FINDINGS is off", byDefault.Refusal, StringComparison.Ordinal);
        Assert.Equal("1.1.1.1/32", optedIn.Block?.Cidr);
    }

    [Theory]
    [InlineData("UnauthorizedAccess:IAMUser/MaliciousIPCaller", "api")]
    [InlineData("Recon:IAMUser/MaliciousIPCaller.Custom", "api")]
    [InlineData("UnauthorizedAccess:IAMUser/TorIPCaller", "api")]
    [InlineData("Discovery:Kubernetes/MaliciousIPCaller", "kubernetes")]
    [InlineData("CredentialAccess:RDS/MaliciousIPCaller.FailedLogin", "rds")]
    public void Decide_AnApiCallerOnAThreatList_IsBlockedByDefault(string type, string action) =>
        Assert.Equal("1.1.1.1/32", Assert.Single(Decide(
            new ReceivedFinding("m", Envelope(), Finding(Caller(action, "1.1.1.1"), type: type)), Settings).Addresses).Block?.Cidr);

    [Fact]
    public void Decide_APortProbe_IsBlockedByDefault() =>
        Assert.Equal("1.1.1.1/32", Assert.Single(Decide(new ReceivedFinding("m", Envelope(), Finding(
            new FindingAction(null, null, new PortProbeAction([new PortProbeDetail(new RemoteIpDetails("1.1.1.1", null))]), null, null),
            type: "Recon:EC2/PortProbeUnprotectedPort")), Settings).Addresses).Block?.Cidr);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    public void Decide_AtTheRetentionsEdge_BlocksOnlyWhileTheBlockWouldStillRun(long ticksInside, bool blocked)
    {
        var lastSeen = Now - Settings.Retention + TimeSpan.FromTicks(ticksInside);

        var decision = Decide(new ReceivedFinding("m", Envelope(), Finding(Inbound("1.1.1.1"), lastSeen: lastSeen)), Settings);

        Assert.Equal(blocked, Assert.Single(decision.Addresses).Block is not null);
    }

    [Fact]
    public void Decide_AFindingWithoutRemoteAddress_HasNothingToBlock() =>
        Assert.Contains("names no remote IP address", Decide(
            new ReceivedFinding("m", Envelope(), Finding(new FindingAction(null, null, null, null, null))), Settings).NothingReason, StringComparison.Ordinal);

    [Fact]
    public void Merge_KeepsTheLatestSightingOfEachAddressAndEveryFinding()
    {
        var older = Decide(new ReceivedFinding("a", Envelope(), Finding(Inbound("1.1.1.1"), lastSeen: Now.AddHours(-3))), Settings);
        var newer = Decide(new ReceivedFinding("b", Envelope(), Finding(Inbound("1.1.1.1"), lastSeen: Now.AddHours(-1))), Settings);

        var sighting = Assert.Single(AddressBlocking.Merge([older, newer], TimeSpan.FromHours(24)));

        Assert.Equal(Now.AddHours(23), sighting.ExpiresAt);
        Assert.Equal(new[] { older.FindingId, newer.FindingId }.Order(StringComparer.Ordinal), sighting.FindingIds);
    }

    /// <summary>
    /// The safety property, from findings to the set's new list: whatever the findings carry, every address that reaches
    /// an IP set is one public host (/32 or /128) outside every refused class and not the account's own, named as the attacker by
    /// a real finding of this account and region whose resource was the target of an inbound action, of at least the minimum
    /// severity and seen within the retention.
    /// </summary>
    [Property(MaxTest = 500, Arbitrary = [typeof(Arbitraries)])]
    public bool NoRefusedAddress_EverReachesAnIpSet(ReceivedFinding[] findings) =>
        Reached(findings, Settings).All(address => findings.Any(f => NamesAsAttacker(f, address, Settings)));

    /// <summary>The converse: every public, not allowlisted address that an eligible finding names as its attacker is blocked.</summary>
    [Property(MaxTest = 500, Arbitrary = [typeof(Arbitraries)])]
    public bool EveryEligibleAttacker_ReachesTheIpSet(ReceivedFinding[] findings, bool apiCallersOptedIn)
    {
        var settings = Settings with { BlockApiCallerFindings = apiCallersOptedIn };
        var reached = Reached(findings, settings).ToHashSet();
        return findings.All(f => Attackers(f.Finding, settings).Where(a => NamesAsAttacker(f, a, settings)).All(reached.Contains));
    }

    private static IEnumerable<IPAddress> Reached(ReceivedFinding[] findings, AttackerIpBlockerSettings settings)
    {
        var decisions = findings.Select(f => Decide(f, settings)).ToList();
        var additions = AddressBlocking.Merge(decisions, settings.Retention).Select(s => new IpSetAddition(s.Cidr, s.ExpiresAt)).ToList();
        var set = IpSetPlanner.Add([], additions, new Dictionary<string, DateTimeOffset>()).Addresses.Select(IPNetwork.Parse).ToList();
        Assert.All(set, network => Assert.True(network.PrefixLength is 32 or 128, $"{network} is not one host"));
        return set.Select(n => n.BaseAddress);
    }

    /// <summary>The oracle, from the finding's fields and the settings, without the policy's code.</summary>
    private static bool NamesAsAttacker(ReceivedFinding received, IPAddress address, AttackerIpBlockerSettings settings)
    {
        var finding = received.Finding;
        var service = finding.Service!;
        var lastSeen = service.EventLastSeen!.Value;
        var sample = service.AdditionalInfo.ValueKind == System.Text.Json.JsonValueKind.Object && service.AdditionalInfo.GetProperty("sample").GetBoolean();
        if (sample || finding.AccountId != OurAccount || finding.Region != OurRegion || received.Envelope.Region != OurRegion
            || service.ResourceRole != "TARGET" || finding.Severity < 4.0 || Now - lastSeen >= TimeSpan.FromHours(24))
            return false;
        return !AddressGenerators.IsForbidden(address, Settings.Addresses.RefuseDocumentationRanges, Settings.Addresses.Allowlist)
            && address.ToString() is not ("54.214.10.20" or "54.214.10.21")
            && Attackers(finding, settings).Contains(address);
    }

    /// <summary>The parseable addresses of the inbound actions, and of the API-call actions when their type is on a threat list or opted in.</summary>
    private static IEnumerable<IPAddress> Attackers(GuardDutyFinding finding, AttackerIpBlockerSettings settings)
    {
        var action = finding.Service!.Action!;
        var callers = settings.BlockApiCallerFindings || MaliciousCallerTypes.Contains(finding.Type);
        var details = new List<RemoteIpDetails?>();
        if (action.NetworkConnectionAction is { ConnectionDirection: "INBOUND" } inbound)
            details.Add(inbound.RemoteIpDetails);
        details.AddRange((action.PortProbeAction?.PortProbeDetails ?? []).Select(p => p.RemoteIpDetails));
        if (callers)
            details.AddRange([action.AwsApiCallAction?.RemoteIpDetails, action.KubernetesApiCallAction?.RemoteIpDetails, action.RdsLoginAttemptAction?.RemoteIpDetails]);
        return details.SelectMany(d => new[] { d?.IpAddressV4, d?.IpAddressV6 })
            .Select(text => IsPlainHost(text) && IPAddress.TryParse(text, out var parsed) ? (parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed) : null)
            .OfType<IPAddress>();
    }

    /// <summary>Texts GuardDuty writes for one host: dotted quads without leading zeros, or IPv6 without zone or prefix.</summary>
    private static bool IsPlainHost(string? text) => text is not null && (text.Contains(':', StringComparison.Ordinal)
        ? !text.Contains('%', StringComparison.Ordinal) && !text.Contains('/', StringComparison.Ordinal)
        : text.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255));

    public static class Arbitraries
    {
        public static FsCheck.Arbitrary<ReceivedFinding[]> Findings() => FindingGenerators.Findings();
    }

    private static FindingAction Caller(string action, string v4)
    {
        var details = new RemoteIpAction(new RemoteIpDetails(v4, null));
        return new FindingAction(null, action == "api" ? details : null, null, action == "kubernetes" ? details : null, action == "rds" ? details : null);
    }

    // Found by the fuzzing suite: a JSON null in either list used to throw a NullReferenceException.
    [Fact]
    public void Decide_NullItemsInPortProbesAndNetworkInterfaces_NameNothing()
    {
        var finding = Finding(new FindingAction(null, null, new PortProbeAction([null!, new PortProbeDetail(new RemoteIpDetails("1.1.1.3", null))]), null, null)) with
        {
            Resource = new FindingResource(null, new InstanceDetails([null!, new FindingNetworkInterface("subnet-1")])),
        };

        var decision = Decide(new ReceivedFinding("m", Envelope(), finding), Settings);

        Assert.Equal("1.1.1.3/32", Assert.Single(decision.Addresses).Block!.Cidr);
        Assert.Equal(["subnet-1"], decision.SubnetIds);
    }
}
