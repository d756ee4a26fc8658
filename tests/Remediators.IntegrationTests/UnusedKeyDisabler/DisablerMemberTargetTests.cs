using Remediators.Core.Aws;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.UnusedKeyDisabler;

/// <summary>
/// The built disabler in a hub that is GuardDuty's administrator: a finding about a listed member's key deactivates it in that
/// account through its role; nothing else leaves the hub's own account.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class DisablerMemberTargetTests(MotoServer moto)
{
    private const string Function = "UnusedKeyDisabler";
    private const string SampleKeyId = "AKIAEXAMPLEKEYID0001";
    private static readonly Dictionary<string, string> Enforce = new() { ["Mode"] = "enforce" };
    private static readonly Dictionary<string, string> DryRun = new() { ["Mode"] = "dry-run" };

    [Fact]
    public async Task AFindingAboutAListedMembersKey_DeactivatesItInThatAccountThroughItsRole()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function);
        var (iam, user, key) = await MemberUserWithKeyAsync(member, "member-user");
        var (environment, overrides) = MemberTargets.Settings(member.Account);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, FindingAbout(member.Account, key), Enforce, environment: environment, environmentOverrides: overrides);
        var operations = await recording.StopAsync();

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(member.Account, answer.Body.GetProperty("account").GetString());
        Assert.Single(operations, o => o == "AssumeRole");
        Assert.Equal("Inactive", (await iam.ListAccessKeysAsync(user, CancellationToken.None)).Single().Status);
        Assert.DoesNotContain(await moto.Iam().ListUsersAsync(CancellationToken.None), u => u.UserName == user);
    }

    [Fact]
    public async Task AFindingAboutAListedMembersKeyInDryRun_AssumesItsRoleOnce_AndOnlyReads()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function);
        var (iam, user, key) = await MemberUserWithKeyAsync(member, "dry-run-user");
        var (environment, overrides) = MemberTargets.Settings(member.Account);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, FindingAbout(member.Account, key), DryRun, environment: environment, environmentOverrides: overrides);
        var operations = await recording.StopAsync();

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("DryRun", answer.Status);
        Assert.Single(operations, o => o == "AssumeRole");
        Assert.Contains("ListAccessKeys", operations);
        Assert.Empty(MemberTargets.NotDeclaredReads(Function, operations));
        Assert.Equal("Active", (await iam.ListAccessKeysAsync(user, CancellationToken.None)).Single().Status);
    }

    [Fact]
    public async Task AMemberWhoseRoleCannotBeAssumed_FailsNamingAccountRoleAndWhatToDeploy_AndChangesNothingThere()
    {
        const string prefix = "disabler-missing-";
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.DenyAssumingRolesAsync(prefix);
        var (iam, user, key) = await MemberUserWithKeyAsync(member, "unreached-user");
        var (environment, overrides) = MemberTargets.Settings(member.Account, rolePrefix: prefix);

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, FindingAbout(member.Account, key), Enforce, environment: environment, environmentOverrides: overrides);
        var operations = await recording.StopAsync();

        MemberTargets.AssertRoleUnreachable(answer, member.Account, $"arn:aws:iam::{member.Account}:role/{prefix}{Function}");
        Assert.Equal(["AssumeRole"], operations);
        Assert.Equal("Active", (await iam.ListAccessKeysAsync(user, CancellationToken.None)).Single().Status);
    }

    private const string Listed = "353000000001";
    private const string Other = "353000000002";
    private const string Stranger = "353000000003";

    public static TheoryData<string, string, string> RefusedEvents => new()
    {
        { "a finding about an account not listed", FindingAbout(Stranger, SampleKeyId),
            $"the finding names account {Stranger}; this function acts only in account {MotoServer.AccountId} and those of TARGET_ACCOUNTS" },
        { "a Config event of an account not listed", ConfigEvent(Stranger),
            $"the event names account {Stranger}; this function acts only in account {MotoServer.AccountId} and those of TARGET_ACCOUNTS" },
        { "a Config account other than the envelope's", MemberTargets.WithDetail(ConfigEvent(Listed), "awsAccountId", Other),
            $"Config evaluation for account {Other} arrived in account {Listed}" },
    };

    [Theory]
    [MemberData(nameof(RefusedEvents))]
    public async Task AnEventNotForAListedAccount_IsRejectedWithItsReason_WithoutAnyCall(string what, string eventJson, string reason)
    {
        var (environment, overrides) = MemberTargets.Settings($"{Listed},{Other}");

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, eventJson, Enforce, environment: environment, environmentOverrides: overrides);

        Assert.Empty(await recording.StopAsync());
        Assert.True(answer.Status == "Rejected", $"{what}: {answer.Body}");
        Assert.Equal(reason, answer.Body.GetProperty("reason").GetString());
    }

    // What a sweep's work message for a member runs (the fan-out sends it from the hub's schedule; SweepFanOutTests).
    [Fact]
    public async Task AScheduledScanOfAListedMember_DeactivatesItsUnusedKeyThroughItsRole()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function);
        var (iam, user, key) = await MemberUserWithKeyAsync(member, "scanned-user");
        var (environment, overrides) = MemberTargets.Settings(member.Account);
        environment[Remediators.Core.Remediation.TestClock.Variable] = DateTimeOffset.UtcNow.AddDays(200).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var schedule = LocalInvoke.SampleEvent("unused-key-disabler/scheduled-scan.json", ("\"account\": \"123456789012\"", $"\"account\": \"{member.Account}\""));

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, schedule, Enforce, environment: environment, environmentOverrides: overrides);
        var operations = await recording.StopAsync();

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal(member.Account, answer.Body.GetProperty("account").GetString());
        Assert.Single(operations, o => o == "AssumeRole");
        Assert.Equal("Inactive", (await iam.ListAccessKeysAsync(user, CancellationToken.None)).Single().Status);
        Assert.Contains(answer.Resources, r => r.GetProperty("resourceId").GetString() == key && r.GetProperty("status").GetString() == "Remediated");
    }

    private static async Task<(IamClient Iam, string User, string Key)> MemberUserWithKeyAsync(MemberAccount member, string name)
    {
        var iam = member.Clients.Iam(MotoServer.Region);
        var user = $"{name}-{member.Account}";
        await iam.CallAsync("CreateUser", [new("UserName", user)], CancellationToken.None);
        var key = (await iam.CallAsync("CreateAccessKey", [new("UserName", user)], CancellationToken.None)).Child("AccessKey")!.Text("AccessKeyId")!;
        return (iam, user, key);
    }

    private static string ConfigEvent(string account) =>
        MemberTargets.Forwarded(LocalInvoke.SampleEvent("unused-key-disabler/config-unused-credentials-noncompliant.json"), account, MotoServer.Region);

    // The administrator's envelope names the hub; the finding's detail names the member whose key it is.
    private static string FindingAbout(string account, string keyId) => LocalInvoke.SampleEvent("unused-key-disabler/guardduty-compromised-long-term-key.json",
        ("\"accountId\": \"123456789012\"", $"\"accountId\": \"{account}\""), (SampleKeyId, keyId));
}
