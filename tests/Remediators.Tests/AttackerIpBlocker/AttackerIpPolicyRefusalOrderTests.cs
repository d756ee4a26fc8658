using System.Net;
using AttackerIpBlocker;
using Remediators.Core.Blocklist;
using Remediators.Core.Events;
using static Remediators.Tests.AttackerIpBlocker.FindingGenerators;

namespace Remediators.Tests.AttackerIpBlocker;

/// <summary>Which refusal a person reads when a finding fails several checks, the exact texts, and the finding fields that may be absent.</summary>
public sealed class AttackerIpPolicyRefusalOrderTests
{
    private const string OtherAccount = "210987654321";
    private const string OtherRegion = "eu-west-1";

    private static readonly AttackerIpBlockerSettings Settings = new()
    {
        Blocklist = new BlocklistSettings("table", [], new NaclRuleRange(1, 10)),
        Addresses = new AddressRules([], RefuseDocumentationRanges: true),
    };

    private static string? RefusalOf(GuardDutyFinding finding, EventBridgeEvent? envelope = null, AttackerIpBlockerSettings? settings = null) =>
        Assert.Single(Decide(new ReceivedFinding("m", envelope ?? Envelope(), finding), settings ?? Settings).Addresses).Refusal;

    private static GuardDutyFinding Sample(GuardDutyFinding finding) => finding with
    {
        Service = finding.Service! with { AdditionalInfo = System.Text.Json.JsonDocument.Parse("""{"sample":true}""").RootElement.Clone() },
    };

    [Fact]
    public void Decide_ASampleFindingOfAnotherAccount_IsRefusedForTheAccountFirst() =>
        Assert.Equal($"the finding names account {OtherAccount}; this function acts only in account {OurAccount}",
            RefusalOf(Sample(Finding(Inbound("1.1.1.1"), account: OtherAccount))));

    [Fact]
    public void Decide_AnEventOfAnotherAccountCarryingAFindingOfAnotherRegion_IsRefusedForTheEventFirst() =>
        Assert.Equal($"the event names account {OtherAccount}; this function acts only in account {OurAccount}",
            RefusalOf(Finding(Inbound("1.1.1.1"), account: "333333333333") with { Region = OtherRegion }, Envelope(OtherAccount)));

    [Fact]
    public void Decide_AFindingOfAnotherAccountAndRegion_IsRefusedForTheAccountFirst() =>
        Assert.Equal($"the finding names account {OtherAccount}; this function acts only in account {OurAccount}",
            RefusalOf(Finding(Inbound("1.1.1.1"), account: OtherAccount) with { Region = OtherRegion }));

    [Fact]
    public void Decide_WhenTheResourceActed_NamesItsRole() =>
        Assert.Equal("resourceRole is ACTOR, not TARGET: the remote side is not the actor", RefusalOf(Finding(Inbound("1.1.1.1"), role: "ACTOR")));

    [Fact]
    public void Decide_AConnectionWithoutDirection_IsRefusedAsUnknown() =>
        Assert.Equal("networkConnectionAction direction is UNKNOWN, not INBOUND: the remote side did not connect in",
            RefusalOf(Finding(new FindingAction(new NetworkConnectionAction(null, new RemoteIpDetails("1.1.1.1", null)), null, null, null, null))));

    [Fact]
    public void Decide_WithSeveralTypePrefixes_BlocksATypeMatchingAnyOne() =>
        Assert.Null(RefusalOf(Finding(Inbound("1.1.1.1")), settings: Settings with { FindingTypePrefixes = ["Recon:", "UnauthorizedAccess:"] }));

    [Theory]
    [InlineData("/MaliciousIPCaller", true)]
    [InlineData("MaliciousIPCaller", false)]
    public void IsKnownMaliciousCaller_ReadsOnlyThePartAfterTheSlash(string type, bool known) =>
        Assert.Equal(known, AttackerIpPolicy.IsKnownMaliciousCaller(type));

    [Fact]
    public void SightingTime_WithoutLastSeen_IsTheEventsTime_AndWithoutThatNow()
    {
        var finding = Finding(Inbound("1.1.1.1"));
        finding = finding with { Service = finding.Service! with { EventLastSeen = null } };

        Assert.Equal(Now.AddHours(-1), AttackerIpPolicy.SightingTime(finding, Envelope() with { Time = Now.AddHours(-1) }, Now));
        Assert.Equal(Now, AttackerIpPolicy.SightingTime(finding, Envelope() with { Time = null }, Now));
    }

    [Fact]
    public void Decide_NamesEachNonEmptySubnetOnce()
    {
        var decision = Decide(new ReceivedFinding("m", Envelope(), Finding(Inbound("1.1.1.1"), subnets: ["", "subnet-1", "subnet-1"])), Settings);

        Assert.Equal(["subnet-1"], decision.SubnetIds);
    }

    [Fact]
    public void Decide_AnInstanceWithoutNetworkInterfaces_BlocksWithoutASubnet()
    {
        var finding = Finding(Inbound("1.1.1.1")) with { Resource = new FindingResource(null, new InstanceDetails(null)) };

        var decision = Decide(new ReceivedFinding("m", Envelope(), finding), Settings);

        Assert.Equal(("1.1.1.1/32", 0), (Assert.Single(decision.Addresses).Block?.Cidr, decision.SubnetIds.Count));
    }
}
