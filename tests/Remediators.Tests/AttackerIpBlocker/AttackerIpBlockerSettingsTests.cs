using AttackerIpBlocker;
using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;

namespace Remediators.Tests.AttackerIpBlocker;

public sealed class AttackerIpBlockerSettingsTests
{
    private const string Ipv4Set = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/attackers-ipv4/11111111-1111-1111-1111-111111111111";
    private const string Ipv6Set = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/attackers-ipv6/22222222-2222-2222-2222-222222222222";

    private static EnvironmentSettings Env(params (string Name, string Value)[] values)
    {
        (string, string)[] required = [(BlocklistSettings.TableVariable, "blocklist"), (BlocklistSettings.Ipv4SetVariable, Ipv4Set), (BlocklistSettings.Ipv6SetVariable, Ipv6Set)];
        var all = required.Concat(values).GroupBy(v => v.Item1).ToDictionary(g => g.Key, g => g.Last().Item2);
        return new EnvironmentSettings(name => all.GetValueOrDefault(name));
    }

    [Fact]
    public void FromEnvironment_WithOnlyTheTableAndSets_UsesTheSafeDefaults()
    {
        var settings = AttackerIpBlockerSettings.FromEnvironment(Env());

        Assert.Equal(RemediationMode.DryRun, settings.Mode);
        Assert.Equal(4.0, settings.MinFindingSeverity);
        Assert.Equal(24, settings.RetentionHours);
        Assert.True(settings.Addresses.RefuseDocumentationRanges);
        Assert.False(settings.NaclDeny);
        Assert.Equal(new NaclRuleRange(1, 10), settings.Blocklist.NaclRules);
        Assert.Equal([Ipv4Set, Ipv6Set], settings.Blocklist.IpSets.Select(s => s.Arn));
    }

    [Theory]
    [InlineData(AttackerIpBlockerSettings.AllowlistCidrsVariable, "0.0.0.0/0")]
    [InlineData(AttackerIpBlockerSettings.AllowlistCidrsVariable, "10.0.0.0/33")]
    [InlineData(AttackerIpBlockerSettings.RetentionHoursVariable, "0")]
    [InlineData(BlocklistSettings.NaclRuleNumberLastVariable, "0")]
    [InlineData(BlocklistSettings.Ipv4SetVariable, "arn:aws:wafv2:us-east-1:123456789012:global/ipset/cf/33333333-3333-3333-3333-333333333333")]
    [InlineData(BlocklistSettings.Ipv6SetVariable, "not-an-arn")]
    [InlineData(BlocklistSettings.TableVariable, "")]
    public void FromEnvironment_WithAnUnsafeValue_FailsNamingTheVariable(string variable, string value) =>
        Assert.Equal(variable, Assert.Throws<SettingsException>(() => AttackerIpBlockerSettings.FromEnvironment(Env((variable, value)))).Variable);

    [Fact]
    public void FromEnvironment_ARangeEndingBeforeItStarts_FailsNamingItsLastNumber() =>
        Assert.Equal(BlocklistSettings.NaclRuleNumberLastVariable, Assert.Throws<SettingsException>(() => AttackerIpBlockerSettings.FromEnvironment(
            Env((BlocklistSettings.NaclRuleNumberFirstVariable, "20"), (BlocklistSettings.NaclRuleNumberLastVariable, "10")))).Variable);

    [Fact]
    public void FromEnvironment_CloudFrontBlockingWithoutItsSets_FailsAtStartUp() =>
        Assert.Equal(BlocklistSettings.CloudFrontIpv4SetVariable,
            Assert.Throws<SettingsException>(() => AttackerIpBlockerSettings.FromEnvironment(Env((BlocklistSettings.CloudFrontVariable, "true")))).Variable);
}
