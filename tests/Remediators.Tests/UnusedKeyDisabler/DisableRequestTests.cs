using Remediators.Core.Events;
using UnusedKeyDisabler;

namespace Remediators.Tests.UnusedKeyDisabler;

public sealed class DisableRequestTests
{
    private static readonly UnusedKeyDisablerSettings Settings = new();

    private static DisableRequest FromSample(string name, Func<string, string>? edit = null, UnusedKeyDisablerSettings? settings = null)
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Events, "unused-key-disabler", name));
        var parsed = EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(edit?.Invoke(json) ?? json));
        return DisableRequest.From(parsed.Trigger ?? throw new InvalidOperationException(parsed.Rejection), settings ?? Settings);
    }

    [Fact]
    public void From_ScheduledEvent_ScansEveryUser() =>
        Assert.IsType<DisableRequest.EveryUser>(FromSample("scheduled-scan.json"));

    [Fact]
    public void From_ConfigNonCompliantUser_AsksAboutThatUserId()
    {
        var request = Assert.IsType<DisableRequest.UserById>(FromSample("config-unused-credentials-noncompliant.json"));

        Assert.Equal("AIDAEXAMPLEUSERID0001", request.UserId);
    }

    [Fact]
    public void From_ConfigCompliantUser_HasNothingToDo() =>
        Assert.IsType<DisableRequest.NothingToDo>(FromSample("config-unused-credentials-noncompliant.json",
            json => json.Replace("\"NON_COMPLIANT\"", "\"COMPLIANT\"", StringComparison.Ordinal)));

    [Fact]
    public void From_ConfigRuleNotConfigured_IsRefused() =>
        Assert.IsType<DisableRequest.Refused>(FromSample("config-unused-credentials-noncompliant.json",
            json => json.Replace("\"configRuleName\": \"iam-user-unused-credentials-check\"", "\"configRuleName\": \"mfa-enabled\"", StringComparison.Ordinal)));

    [Fact]
    public void From_LongTermKeyFinding_NamesTheCompromisedKey()
    {
        var request = Assert.IsType<DisableRequest.CompromisedKey>(FromSample("guardduty-compromised-long-term-key.json"));

        Assert.Equal("AKIAEXAMPLEKEYID0001", request.AccessKeyId);
        Assert.Equal("UnauthorizedAccess:IAMUser/MaliciousIPCaller", request.FindingType);
    }

    [Fact]
    public void From_SampleFinding_IsReportedAndNeverActedOn()
    {
        var request = Assert.IsType<DisableRequest.NothingToDo>(FromSample("guardduty-compromised-long-term-key.json",
            json => json.Replace("\"additionalInfo\": {}", "\"additionalInfo\": {\"sample\": true}", StringComparison.Ordinal)));

        Assert.Contains("sample finding", request.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void From_ConfigEvaluationOfAnotherAccount_IsRefused() =>
        Assert.IsType<DisableRequest.Refused>(FromSample("config-unused-credentials-noncompliant.json",
            json => json.Replace("\"awsAccountId\": \"123456789012\"", "\"awsAccountId\": \"210987654321\"", StringComparison.Ordinal)));

    [Fact]
    public void From_TemporaryKeyFinding_IsOnlyReported() =>
        Assert.Equal("ASIAEXAMPLESESSION01", Assert.IsType<DisableRequest.TemporaryKey>(FromSample("guardduty-temporary-key.json")).AccessKeyId);

    [Fact]
    public void From_FindingBelowTheSeverityThreshold_HasNothingToDo() =>
        Assert.IsType<DisableRequest.NothingToDo>(FromSample("guardduty-compromised-long-term-key.json",
            settings: Settings with { MinFindingSeverity = 7 }));

    [Fact]
    public void From_FindingOfAnotherType_HasNothingToDo() =>
        Assert.IsType<DisableRequest.NothingToDo>(FromSample("guardduty-compromised-long-term-key.json",
            json => json.Replace("UnauthorizedAccess:IAMUser/MaliciousIPCaller", "Recon:EC2/PortProbeUnprotectedPort", StringComparison.Ordinal)));

    [Fact]
    public void From_FindingWithoutAnAccessKeyId_IsRefused() =>
        Assert.IsType<DisableRequest.Refused>(FromSample("guardduty-compromised-long-term-key.json",
            json => json.Replace("\"accessKeyId\": \"AKIAEXAMPLEKEYID0001\",", "", StringComparison.Ordinal)));

    // Whether another account may be acted in is the target check's (TargetScope, before Parse), not the finding's.
    [Fact]
    public void From_FindingAboutAnotherAccount_NamesItsKey() =>
        Assert.IsType<DisableRequest.CompromisedKey>(FromSample("guardduty-compromised-long-term-key.json",
            json => json.Replace("\"accountId\": \"123456789012\"", "\"accountId\": \"210987654321\"", StringComparison.Ordinal)));

    // Found by the fuzzing suite: such an id reached IAM, whose error the gateway did not expect.
    [Theory]
    [InlineData("AKIAEXAMPLEKEYID0001\u200B")]
    [InlineData("AKIAexampleKEYID0001")]
    [InlineData("AKIAEXAMPLEKEYID0001\\n")]
    [InlineData("AKIA")]
    public void From_AnAccessKeyIdIamWouldNotIssue_IsRefused(string id)
    {
        var request = FromSample("guardduty-compromised-long-term-key.json", json => json.Replace("AKIAEXAMPLEKEYID0001", id, StringComparison.Ordinal));

        Assert.Contains("is not an access key id", Assert.IsType<DisableRequest.Refused>(request).Reason, StringComparison.Ordinal);
    }
}
