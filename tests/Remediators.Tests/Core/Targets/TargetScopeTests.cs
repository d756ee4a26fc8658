using System.Text;
using Remediators.Core.Events;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace Remediators.Tests.Core.Targets;

/// <summary>The target of an event by its source, and the checks of it against the allowed accounts and regions.</summary>
public sealed class TargetScopeTests
{
    private const string Hub = "123456789012";
    private const string Member = "222222222222";
    private const string Stranger = "999999999999";
    private static readonly FunctionScope Home = new(Hub, "us-east-1");
    private static readonly TargetScope OwnOnly = new(Home, TargetSettings.OwnAccountOnly);
    private static readonly TargetScope Listed = new(Home, new TargetSettings { Accounts = new HashSet<string> { Member }, Regions = new HashSet<string> { "eu-west-1" } });
    private static readonly TargetScope Organization = new(Home, new TargetSettings { WholeOrganization = true, OrganizationId = "o-a1b2c3d4e5" });

    private static Trigger Sample(string folder, string file, params (string From, string To)[] replacements)
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Events, folder, file));
        foreach (var (from, to) in replacements)
            json = json.Replace(from, to, StringComparison.Ordinal);
        return EventParser.Parse(Encoding.UTF8.GetBytes(json)).Trigger!;
    }

    private static Trigger CloudTrail(params (string, string)[] replacements) => Sample("public-ingress-revoker", "authorize-security-group-ingress.json", replacements);

    private static Trigger Config(params (string, string)[] replacements) => Sample("encryption-enforcer", "config-s3-bucket-ssl-requests-only-noncompliant.json", replacements);

    private static Trigger Finding(params (string, string)[] replacements) => Sample("unused-key-disabler", "guardduty-compromised-long-term-key.json", replacements);

    [Fact]
    public void GuardDuty_TargetsTheFindingsAccountAndRegion_NotTheAdministratorsEnvelope()
    {
        var resolution = Listed.Resolve(Finding(("\"accountId\": \"123456789012\"", $"\"accountId\": \"{Member}\""), ("\"region\": \"us-east-1\",\n    \"partition\"", "\"region\": \"eu-west-1\",\n    \"partition\"")), TargetKind.Regional);

        Assert.Equal(new Target(Member, "eu-west-1"), resolution.Target);
    }

    [Fact]
    public void CloudTrail_TargetsTheEnvelope_OfAForwardedEvent()
    {
        var resolution = Listed.Resolve(CloudTrail(("\"account\": \"123456789012\"", $"\"account\": \"{Member}\""), ("\"recipientAccountId\": \"123456789012\"", $"\"recipientAccountId\": \"{Member}\"")), TargetKind.Regional);

        Assert.Equal(new Target(Member, "us-east-1"), resolution.Target);
    }

    [Fact]
    public void CloudTrail_WhoseRecipientDisagreesWithTheEnvelope_IsRefused()
    {
        var resolution = Listed.Resolve(CloudTrail(("\"account\": \"123456789012\"", $"\"account\": \"{Member}\"")), TargetKind.Regional);

        Assert.Equal($"CloudTrail event for account {Hub} arrived in account {Member}", resolution.Refusal);
    }

    [Fact]
    public void CloudTrail_WhoseAwsRegionDisagreesWithTheEnvelope_IsRefused()
    {
        var resolution = Listed.Resolve(CloudTrail(("\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"eu-west-1\"")), TargetKind.Regional);

        Assert.Equal("CloudTrail event for region eu-west-1 arrived in region us-east-1", resolution.Refusal);
    }

    [Theory]
    [InlineData("\"awsAccountId\": \"123456789012\"", "\"awsAccountId\": \"222222222222\"", "Config evaluation for account 222222222222 arrived in account 123456789012")]
    [InlineData("\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"eu-west-1\"", "Config evaluation for region eu-west-1 arrived in region us-east-1")]
    public void Config_WhoseDetailDisagreesWithTheEnvelope_IsRefused(string from, string to, string reason) =>
        Assert.Equal(reason, Listed.Resolve(Config((from, to)), TargetKind.Regional).Refusal);

    [Fact]
    public void Schedule_TargetsTheEnvelope() =>
        Assert.Equal(new Target(Hub, "us-east-1"), OwnOnly.Resolve(Sample("public-ingress-revoker", "scheduled-sweep.json"), TargetKind.Regional).Target);

    [Fact]
    public void OwnAccountOnly_RefusesAnotherAccount_InFunctionScopesExactWords()
    {
        Assert.Equal(Home.AccountRefusal(Member, "the event"),
            OwnOnly.Resolve(CloudTrail(("\"account\": \"123456789012\"", $"\"account\": \"{Member}\"")), TargetKind.Regional).Refusal);
        Assert.Equal(Home.RegionRefusal("eu-west-1", "the event"),
            OwnOnly.Resolve(CloudTrail(("\"region\": \"us-east-1\"", "\"region\": \"eu-west-1\"")), TargetKind.Regional).Refusal);
        Assert.Equal(Home.AccountRefusal(Member, "the finding"),
            OwnOnly.Resolve(Finding(("\"accountId\": \"123456789012\"", $"\"accountId\": \"{Member}\"")), TargetKind.Regional).Refusal);
    }

    [Fact]
    public void GuardDuty_FromAnEnvelopeOutsideTheScope_IsRefusedFirst_AsTheBlockerDidBefore() =>
        Assert.Equal($"the event names account {Stranger}; this function acts only in account {Hub}",
            OwnOnly.Resolve(Finding(("\"account\": \"123456789012\"", $"\"account\": \"{Stranger}\"")), TargetKind.Regional).Refusal);

    [Fact]
    public void Listed_RefusesAnAccountNotInTargetAccounts_AndARegionNotInTargetRegions()
    {
        Assert.Equal($"the finding names account {Stranger}; this function acts only in account {Hub} and those of TARGET_ACCOUNTS",
            Listed.Resolve(Finding(("\"accountId\": \"123456789012\"", $"\"accountId\": \"{Stranger}\"")), TargetKind.Regional).Refusal);
        Assert.Equal("the event names region ap-south-1; this function acts only in region us-east-1 and those of TARGET_REGIONS",
            Listed.Resolve(CloudTrail(("\"region\": \"us-east-1\"", "\"region\": \"ap-south-1\""), ("\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"ap-south-1\"")), TargetKind.Regional).Refusal);
    }

    [Fact]
    public void AccountOnly_IgnoresRegions_AndActsInTheFunctionsOwn()
    {
        var resolution = OwnOnly.Resolve(CloudTrail(("\"region\": \"us-east-1\"", "\"region\": \"eu-west-1\""), ("\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"ap-south-1\"")), TargetKind.AccountOnly);

        Assert.Equal(new Target(Hub, "us-east-1"), resolution.Target);
    }

    [Fact]
    public void Organization_AdmitsAnyAccountId_ForTheMembershipCheck_ButNothingElse()
    {
        Assert.Equal(new Target(Stranger, "us-east-1"),
            Organization.Resolve(Finding(("\"accountId\": \"123456789012\"", $"\"accountId\": \"{Stranger}\"")), TargetKind.Regional).Target);
        Assert.Equal("the finding names '12345', which is not an AWS account id",
            Organization.Resolve(Finding(("\"accountId\": \"123456789012\"", "\"accountId\": \"12345\"")), TargetKind.Regional).Refusal);
    }
}
