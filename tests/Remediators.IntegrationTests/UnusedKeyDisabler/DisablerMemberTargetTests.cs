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

    [Fact]
    public async Task AFindingAboutAListedMembersKey_DeactivatesItInThatAccountThroughItsRole()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function);
        var iam = member.Clients.Iam(MotoServer.Region);
        var user = $"member-user-{member.Account}";
        await iam.CallAsync("CreateUser", [new("UserName", user)], CancellationToken.None);
        var key = (await iam.CallAsync("CreateAccessKey", [new("UserName", user)], CancellationToken.None)).Child("AccessKey")!.Text("AccessKeyId")!;
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
    public async Task AFindingAboutAnAccountNotListed_IsRejectedWithoutAssumingAnyRole()
    {
        var (environment, overrides) = MemberTargets.Settings(MemberTargets.NewAccount());
        var stranger = MemberTargets.NewAccount();

        var recording = await moto.StartRecordingAsync();
        var answer = await moto.InvokeAsync(Function, FindingAbout(stranger, SampleKeyId), Enforce, environment: environment, environmentOverrides: overrides);

        Assert.Empty(await recording.StopAsync());
        Assert.Equal("Rejected", answer.Status);
        Assert.Contains($"account {stranger}", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    // What a sweep's work message for a member runs (the fan-out sends it from the hub's schedule; SweepFanOutTests).
    [Fact]
    public async Task AScheduledScanOfAListedMember_DeactivatesItsUnusedKeyThroughItsRole()
    {
        var member = await moto.MemberAccountAsync(MemberTargets.NewAccount());
        await moto.CreateDeclaredMemberRoleAsync(member.Account, Function);
        var iam = member.Clients.Iam(MotoServer.Region);
        var user = $"scanned-user-{member.Account}";
        await iam.CallAsync("CreateUser", [new("UserName", user)], CancellationToken.None);
        var key = (await iam.CallAsync("CreateAccessKey", [new("UserName", user)], CancellationToken.None)).Child("AccessKey")!.Text("AccessKeyId")!;
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

    // The administrator's envelope names the hub; the finding's detail names the member whose key it is.
    private static string FindingAbout(string account, string keyId) => LocalInvoke.SampleEvent("unused-key-disabler/guardduty-compromised-long-term-key.json",
        ("\"accountId\": \"123456789012\"", $"\"accountId\": \"{account}\""), (SampleKeyId, keyId));
}
