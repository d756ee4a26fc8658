using PublicIngressRevoker;
using Remediators.Core.Events;
using Remediators.Core.Remediation;

namespace Remediators.Tests.PublicIngressRevoker;

public sealed class SubnetPublicIpRequestTests
{
    private const string Id = "subnet-0a1b2c3d4e5f60718";

    private static SubnetPublicIpRequest? FromSample(string name, Func<string, string>? edit = null, PublicIngressRevokerSettings? settings = null)
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Events, "public-ingress-revoker", name));
        var parsed = EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(edit?.Invoke(json) ?? json));
        return SubnetPublicIpRequest.From(parsed.Trigger ?? throw new InvalidOperationException(parsed.Rejection), settings ?? new PublicIngressRevokerSettings());
    }

    [Theory]
    [InlineData("modify-subnet-attribute-map-public-ip.json")]
    [InlineData("create-subnet.json")]
    [InlineData("create-default-subnet.json")]
    [InlineData("config-subnet-auto-assign-public-ip-noncompliant.json")]
    public void From_EachSubnetSample_AsksAboutThatSubnet(string sample)
    {
        Assert.Equal(Id, Assert.IsType<SubnetPublicIpRequest.Subnet>(FromSample(sample)).SubnetId);
    }

    [Theory]
    [InlineData("authorize-security-group-ingress.json")]
    [InlineData("config-restricted-ssh-noncompliant.json")]
    [InlineData("scheduled-sweep.json")]
    public void From_SecurityGroupEvents_IsNullSoTheGroupPathTakesThem(string sample)
    {
        Assert.Null(FromSample(sample));
    }

    [Theory]
    [InlineData("\"value\": true", "\"value\": false", "turned MapPublicIpOnLaunch off")]
    [InlineData("\"mapPublicIpOnLaunch\"", "\"enableDns64\"", "another attribute")]
    [InlineData("\"eventCategory\"", "\"errorCode\": \"Client.InvalidSubnetID.NotFound\", \"eventCategory\"", "failed with Client.InvalidSubnetID.NotFound")]
    public void From_ModifySubnetAttributeThatCannotExposeAnything_IsNothingToDo(string field, string replacement, string reason)
    {
        var request = FromSample("modify-subnet-attribute-map-public-ip.json", json => json.Replace(field, replacement, StringComparison.Ordinal));

        Assert.Contains(reason, Assert.IsType<SubnetPublicIpRequest.NothingToDo>(request).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void From_WhenHandlingIsOff_IsNothingToDo()
    {
        var request = FromSample("modify-subnet-attribute-map-public-ip.json", settings: new() { Subnets = new() { Handling = SubnetPublicIpHandling.Off } });

        Assert.IsType<SubnetPublicIpRequest.NothingToDo>(request);
    }

    [Theory]
    [InlineData("create-subnet.json", "\"subnetId\": \"subnet-0a1b2c3d4e5f60718\"", "\"subnetId\": \"sg-0a1b2c3d4e5f60718\"")]
    [InlineData("modify-subnet-attribute-map-public-ip.json", "\"subnetId\": \"subnet-0a1b2c3d4e5f60718\",", "")]
    [InlineData("create-default-subnet.json", "\"subnet\": {", "\"vpc\": {")]
    [InlineData("config-subnet-auto-assign-public-ip-noncompliant.json", "\"configRuleName\": \"subnet-auto-assign-public-ip-disabled\",", "\"configRuleName\": \"someone-elses-rule\",")]
    public void From_WhenTheSubnetIsMissingMalformedOrFromAnotherRule_IsRefused(string sample, string field, string replacement)
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Events, "public-ingress-revoker", sample));
        Assert.Contains(field, json, StringComparison.Ordinal);

        Assert.IsType<SubnetPublicIpRequest.Refused>(FromSample(sample, j => j.Replace(field, replacement, StringComparison.Ordinal)));
    }

    [Fact]
    public void From_ConfigCompliantAgain_IsNothingToDo()
    {
        var request = FromSample("config-subnet-auto-assign-public-ip-noncompliant.json",
            json => json.Replace("\"complianceType\": \"NON_COMPLIANT\"", "\"complianceType\": \"COMPLIANT\"", StringComparison.Ordinal));

        Assert.IsType<SubnetPublicIpRequest.NothingToDo>(request);
    }

    [Theory]
    [InlineData("disable", SubnetPublicIpHandling.Disable)]
    [InlineData("OFF", SubnetPublicIpHandling.Off)]
    [InlineData(null, SubnetPublicIpHandling.Report)]
    public void Settings_ReadTheHandlingFromTheEnvironment(string? value, SubnetPublicIpHandling expected)
    {
        var env = new EnvironmentSettings(name => name == SubnetPublicIpSettings.HandlingVariable ? value : null);

        Assert.Equal(expected, SubnetPublicIpSettings.FromEnvironment(env).Handling);
    }

    [Theory]
    [InlineData(SubnetPublicIpSettings.HandlingVariable, "enforce")]
    [InlineData(SubnetPublicIpSettings.AllowedSubnetIdsVariable, "subnet-0a1b2c3d4e5f60718,sg-0a1b2c3d4e5f60718")]
    public void Settings_WithABadValue_FailAtStartUpNamingTheVariable(string variable, string value)
    {
        var env = new EnvironmentSettings(name => name == variable ? value : null);

        Assert.Equal(variable, Assert.Throws<SettingsException>(() => SubnetPublicIpSettings.FromEnvironment(env)).Variable);
    }
}
