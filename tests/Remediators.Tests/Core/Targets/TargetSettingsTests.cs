using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace Remediators.Tests.Core.Targets;

public sealed class TargetSettingsTests
{
    private static TargetSettings Read(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value);
        return TargetSettings.FromEnvironment(new EnvironmentSettings(name => values.GetValueOrDefault(name)));
    }

    [Fact]
    public void NothingSet_IsTheFunctionsOwnAccountAndRegionOnly()
    {
        var settings = Read();

        Assert.True(settings.IsOwnAccountOnly);
        Assert.Equal((0, 0, false, null, "remediators-"), (settings.Accounts.Count, settings.Regions.Count, settings.WholeOrganization, settings.OrganizationId, settings.MemberRolePrefix));
    }

    [Fact]
    public void EmptyValues_AreTheDefaults_AsTheTemplatePassesThem()
    {
        var settings = Read(("TARGET_ACCOUNTS", ""), ("TARGET_REGIONS", ""), ("ORGANIZATION_ID", ""), ("MEMBER_ROLE_PREFIX", ""));

        Assert.Equal(TargetSettings.OwnAccountOnly.MemberRolePrefix, settings.MemberRolePrefix);
        Assert.True(settings.IsOwnAccountOnly);
    }

    [Fact]
    public void AListOfAccountsAndRegions_IsReadTrimmed()
    {
        var settings = Read(("TARGET_ACCOUNTS", " 111111111111, 222222222222 "), ("TARGET_REGIONS", "eu-west-1,us-west-2"), ("MEMBER_ROLE_PREFIX", "sec-"));

        Assert.Equal(["111111111111", "222222222222"], settings.Accounts.Order());
        Assert.Equal(["eu-west-1", "us-west-2"], settings.Regions.Order());
        Assert.Equal("sec-", settings.MemberRolePrefix);
        Assert.False(settings.IsOwnAccountOnly || settings.WholeOrganization);
    }

    [Fact]
    public void Organization_WithItsId_IsWholeOrganizationMode()
    {
        var settings = Read(("TARGET_ACCOUNTS", "organization"), ("ORGANIZATION_ID", "o-a1b2c3d4e5"));

        Assert.True(settings.WholeOrganization);
        Assert.Empty(settings.Accounts);
        Assert.Equal("o-a1b2c3d4e5", settings.OrganizationId);
    }

    [Theory]
    [InlineData("TARGET_ACCOUNTS", "12345678901", "", "'12345678901' is not a 12-digit account id")]
    [InlineData("TARGET_ACCOUNTS", "111111111111,organization", "o-a1b2c3d4e5", "mixes 'organization' with account ids")]
    [InlineData("TARGET_ACCOUNTS", "organization", "", "ORGANIZATION_ID: is not set but TARGET_ACCOUNTS is organization")]
    [InlineData("TARGET_ACCOUNTS", "organization", "o-short", "'o-short' is not an organization id")]
    [InlineData("TARGET_ACCOUNTS", "１２３４５６７８９０１２", "", "is not a 12-digit account id")]
    [InlineData("TARGET_REGIONS", "eu-west-1,mars-1", "", "'mars-1' is not an AWS region")]
    [InlineData("MEMBER_ROLE_PREFIX", "remediators/", "", "'remediators/' cannot start an IAM role name")]
    [InlineData("MEMBER_ROLE_PREFIX", "a-prefix-so-long-that-no-function-name-fits-after", "", "cannot start an IAM role name")]
    public void ABadValue_FailsAtStartUp_NamingTheVariable(string name, string value, string organizationId, string message)
    {
        var error = Assert.Throws<SettingsException>(() => Read((name, value), ("ORGANIZATION_ID", organizationId)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
