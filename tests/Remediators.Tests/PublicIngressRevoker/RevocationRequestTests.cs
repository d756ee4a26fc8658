using PublicIngressRevoker;
using Remediators.Core.Events;

namespace Remediators.Tests.PublicIngressRevoker;

public sealed class RevocationRequestTests
{
    private static readonly PublicIngressRevokerSettings Settings = new();

    private static RevocationRequest FromSample(string name, Func<string, string>? edit = null)
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Events, "public-ingress-revoker", name));
        var parsed = EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(edit?.Invoke(json) ?? json));
        return RevocationRequest.From(parsed.Trigger ?? throw new InvalidOperationException(parsed.Rejection), Settings);
    }

    [Theory]
    [InlineData("authorize-security-group-ingress.json")]
    [InlineData("modify-security-group-rules.json")]
    [InlineData("config-restricted-ssh-noncompliant.json")]
    public void From_EachSampleNamingAGroup_AsksAboutThatGroup(string sample)
    {
        var request = Assert.IsType<RevocationRequest.Groups>(FromSample(sample));

        Assert.Equal(["sg-0a1b2c3d4e5f60718"], request.GroupIds);
    }

    [Fact]
    public void From_AuthorizeByNameWithoutGroupIds_AsksAboutTheNamedGroup()
    {
        var request = Assert.IsType<RevocationRequest.GroupNamed>(FromSample("authorize-security-group-ingress-by-name.json"));

        Assert.Equal("legacy-web", request.GroupName);
    }

    [Fact]
    public void From_ScheduledEvent_SweepsEveryGroup() =>
        Assert.IsType<RevocationRequest.EveryGroup>(FromSample("scheduled-sweep.json"));

    [Fact]
    public void From_ACallThatFailed_HasNothingToDo()
    {
        var request = FromSample("authorize-security-group-ingress.json",
            json => json.Replace("\"eventName\": \"AuthorizeSecurityGroupIngress\",", "\"eventName\": \"AuthorizeSecurityGroupIngress\", \"errorCode\": \"Client.UnauthorizedOperation\",", StringComparison.Ordinal));

        Assert.Contains("Client.UnauthorizedOperation", Assert.IsType<RevocationRequest.NothingToDo>(request).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void From_AComplianceChangeOfAnUnconfiguredRule_IsRefused()
    {
        var request = FromSample("config-restricted-ssh-noncompliant.json",
            json => json.Replace("\"configRuleName\": \"restricted-ssh\",\n    \"recordVersion\"", "\"configRuleName\": \"someone-elses-rule\",\n    \"recordVersion\"", StringComparison.Ordinal));

        Assert.Contains("someone-elses-rule", Assert.IsType<RevocationRequest.Refused>(request).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void From_AComplianceChangeToCompliant_HasNothingToDo()
    {
        var request = FromSample("config-restricted-ssh-noncompliant.json",
            json => json.Replace("\"complianceType\": \"NON_COMPLIANT\"", "\"complianceType\": \"COMPLIANT\"", StringComparison.Ordinal));

        Assert.IsType<RevocationRequest.NothingToDo>(request);
    }

    // Found by the fuzzing suite: the region picks the EC2 endpoint and the group ids go into the calls, so both reached AWS as sent.
    [Theory]
    [InlineData("\"region\": \"us-east-1\"", "\"region\": \"us-east-\uFF11\"", "is not an AWS region")]
    [InlineData("\"region\": \"us-east-1\"", "\"region\": \"01.2.3.4\"", "is not an AWS region")]
    [InlineData("\"region\": \"us-east-1\"", "\"region\": \"us-east-1\\n\"", "is not an AWS region")]
    [InlineData("\"groupId\": \"sg-0a1b2c3d4e5f60718\"", "\"groupId\": \"sg-0a1b2c3d4e5f60718\\n\"", "is not a security group id")]
    [InlineData("\"groupId\": \"sg-0a1b2c3d4e5f60718\"", "\"groupId\": \"sg-0a1b2c3d4e5f6071\u200B\"", "is not a security group id")]
    [InlineData("\"groupId\": \"sg-0a1b2c3d4e5f60718\"", "\"groupId\": \"sg-123\"", "is not a security group id")]
    public void From_ARegionOrGroupIdAwsWouldNotSend_IsRefused(string field, string odd, string reason)
    {
        var request = FromSample("authorize-security-group-ingress.json", json => json.Replace(field, odd, StringComparison.Ordinal));

        Assert.Contains(reason, Assert.IsType<RevocationRequest.Refused>(request).Reason, StringComparison.Ordinal);
    }
}
