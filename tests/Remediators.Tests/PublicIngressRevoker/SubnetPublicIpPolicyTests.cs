using PublicIngressRevoker;
using Remediators.Core.Remediation;

namespace Remediators.Tests.PublicIngressRevoker;

public sealed class SubnetPublicIpPolicyTests
{
    private const string Id = "subnet-0a1b2c3d4e5f60718";

    private static SubnetState Subnet(bool mapsPublicIp = true, Dictionary<string, string>? tags = null, params string[] addresses) =>
        new(Id, "vpc-0f1e2d3c4b5a69788", mapsPublicIp, tags ?? [], addresses);

    private static SubnetPublicIpSettings Settings(SubnetPublicIpHandling handling, ExemptionPolicy? exemptions = null) =>
        new() { Handling = handling, Exemptions = exemptions ?? ExemptionPolicy.None };

    [Theory]
    [InlineData(SubnetPublicIpHandling.Disable)]
    [InlineData(SubnetPublicIpHandling.Report)]
    public void Decide_WhenAutoAssignIsOff_IsAlreadyOffWhateverTheHandling(SubnetPublicIpHandling handling)
    {
        Assert.Equal(SubnetPublicIpVerdict.AlreadyOff, SubnetPublicIpPolicy.Decide(Subnet(mapsPublicIp: false), Settings(handling)).Verdict);
    }

    [Fact]
    public void Decide_WithDisable_DisablesAnAutoAssigningSubnet()
    {
        var decision = SubnetPublicIpPolicy.Decide(Subnet(), Settings(SubnetPublicIpHandling.Disable));

        Assert.Equal(SubnetPublicIpVerdict.Disable, decision.Verdict);
        Assert.Contains("no network interface in it holds a public IPv4 address", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_WithReport_OnlyReports()
    {
        var decision = SubnetPublicIpPolicy.Decide(Subnet(), Settings(SubnetPublicIpHandling.Report));

        Assert.Equal(SubnetPublicIpVerdict.Report, decision.Verdict);
        Assert.StartsWith("reported for a person, not changed (SUBNET_AUTO_ASSIGN_PUBLIC_IP is report)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_WhenTheSubnetIsAllowlisted_IsExemptEvenWithDisable()
    {
        var exemptions = new ExemptionPolicy(null, null, new HashSet<string>([Id]));

        var decision = SubnetPublicIpPolicy.Decide(Subnet(), Settings(SubnetPublicIpHandling.Disable, exemptions));

        Assert.Equal(SubnetPublicIpVerdict.Exempt, decision.Verdict);
        Assert.Contains("allowlist", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TRUE", SubnetPublicIpVerdict.Exempt)]
    [InlineData("false", SubnetPublicIpVerdict.Disable)]
    public void Decide_WithTheExemptionTag_IsExemptOnlyWhenTheValueMatches(string value, SubnetPublicIpVerdict expected)
    {
        var exemptions = new ExemptionPolicy("security:exempt", "true", new HashSet<string>());

        var decision = SubnetPublicIpPolicy.Decide(Subnet(tags: new() { ["security:exempt"] = value }), Settings(SubnetPublicIpHandling.Disable, exemptions));

        Assert.Equal(expected, decision.Verdict);
    }

    [Fact]
    public void RunningText_ListsTenAddressesAndCountsTheRest_AndSaysNothingIsStopped()
    {
        var addresses = Enumerable.Range(1, 12).Select(i => $"eni-{i:x17} (203.0.113.{i})").ToArray();

        var text = SubnetPublicIpPolicy.RunningText(Subnet(addresses: addresses));

        Assert.StartsWith("12 network interface(s) in it keep their public IPv4 address (nothing is stopped", text, StringComparison.Ordinal);
        Assert.Contains("203.0.113.10)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113.11", text, StringComparison.Ordinal);
        Assert.EndsWith("and 2 more", text, StringComparison.Ordinal);
    }
}
