using System.Globalization;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.UnusedKeyDisabler;

/// <summary>
/// The built UnusedKeyDisabler against moto. Keys in moto are created "now", so tests that need old keys give the
/// function a later "now" through its test-only clock variable (honoured only against a loopback emulator).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class UnusedKeyDisablerTests(MotoServer moto) : IAsyncLifetime
{
    private const string Function = "UnusedKeyDisabler";
    private const string SigningUser = "remediators-tests";
    private static readonly string[] ReportOperations = ["GenerateCredentialReport", "GetCredentialReport"];
    private readonly List<string> _users = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var user in _users)
            await moto.DeleteUserAsync(user);
    }

    [Fact]
    public async Task Scan_WhenAUserHasAStaleAndAFreshKey_DeactivatesOnlyTheStaleOne()
    {
        var user = await NewUserAsync("mixed");
        var stale = await moto.CreateAccessKeyAsync(user);
        var fresh = await moto.CreateAccessKeyAsync(user);
        var staleCreated = (await moto.Iam().ListAccessKeysAsync(user, CancellationToken.None)).Single(k => k.AccessKeyId == Id(stale)).CreateDate;
        var freshUsed = await moto.UseKeyAsync(fresh);
        // 90 days after the midpoint: the stale key's creation is just over 90 days ago, the fresh key's use just under.
        var now = staleCreated + (freshUsed - staleCreated) / 2 + TimeSpan.FromDays(90);

        var answer = await InvokeAsync(Sample("scheduled-scan.json"), now);

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(new Dictionary<string, string> { [Id(stale)] = "Inactive", [Id(fresh)] = "Active" }, await moto.KeyStatusesAsync(user));
        var result = Assert.Single(answer.Resources, r => r.GetProperty("resourceId").GetString() == Id(stale));
        var undo = Assert.Single(result.GetProperty("changes").EnumerateArray()).GetProperty("undo");
        Assert.Equal(user, undo.GetProperty("userName").GetString());
        Assert.Equal("never", undo.GetProperty("lastUsed").GetString());
        Assert.DoesNotContain(answer.Resources, r => r.GetProperty("resourceId").GetString() == Id(fresh));
    }

    [Fact]
    public async Task Config_WhenANeverUsedKeyIsYoungerThanTheGrace_KeepsIt()
    {
        var user = await NewUserAsync("young");
        var key = await moto.CreateAccessKeyAsync(user);

        var answer = await InvokeAsync(ConfigEvent(await UserIdAsync(user)), DateTimeOffset.UtcNow.AddDays(6), new() { ["MaxKeyAgeDays"] = "1" });

        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Equal("Active", (await moto.KeyStatusesAsync(user))[Id(key)]);
    }

    [Fact]
    public async Task Scan_KeepsUsersExemptByNameInAnyCaseTagOrWholePathSegments_AndDeactivatesTheOthers()
    {
        var byName = await NewUserAsync("By-Name");
        var byTag = await NewUserAsync("by-tag", tags: ("keep-keys", "true"));
        var byPath = await NewUserAsync("by-path", path: $"/exempt-{_run}/ci/");
        var control = await NewUserAsync("control");
        var siblingPath = await NewUserAsync("sibling-path", path: $"/exempt-{_run}-legacy/");
        var keys = new Dictionary<string, string>();
        foreach (var user in new[] { byName, byTag, byPath, control, siblingPath })
            keys[user] = Id(await moto.CreateAccessKeyAsync(user));

        var answer = await InvokeAsync(Sample("scheduled-scan.json"), DateTimeOffset.UtcNow.AddDays(100), new()
        {
            ["ExemptUserNames"] = $"{SigningUser},{byName.ToLowerInvariant()}",
            ["ExemptUserPathPrefixes"] = $"/exempt-{_run}",
            ["ExemptTagKey"] = "keep-keys",
        });

        Assert.Equal("Remediated", answer.Status);
        foreach (var exempt in new[] { byName, byTag, byPath })
        {
            Assert.Equal("Active", (await moto.KeyStatusesAsync(exempt))[keys[exempt]]);
            Assert.Equal("Exempt", answer.Resources.Single(r => r.GetProperty("resourceId").GetString() == exempt).GetProperty("status").GetString());
        }
        foreach (var changed in new[] { control, siblingPath })
            Assert.Equal("Inactive", (await moto.KeyStatusesAsync(changed))[keys[changed]]);
    }

    [Fact]
    public async Task Config_WhenMoreKeysAreUnusedThanTheCap_DeactivatesTheOldestAndReportsTheRestCapped()
    {
        var user = await NewUserAsync("capped");
        var older = Id(await moto.CreateAccessKeyAsync(user));
        var newer = Id(await moto.CreateAccessKeyAsync(user));

        var answer = await InvokeAsync(ConfigEvent(await UserIdAsync(user)), DateTimeOffset.UtcNow.AddDays(100), new() { ["MaxKeysPerRun"] = "1" });

        Assert.Equal("Capped", answer.Status);
        Assert.Equal(new Dictionary<string, string> { [older] = "Inactive", [newer] = "Active" }, await moto.KeyStatusesAsync(user));
        Assert.Equal([$"{older}:Remediated", $"{newer}:Capped"],
            answer.Resources.Select(r => $"{r.GetProperty("resourceId").GetString()}:{r.GetProperty("status").GetString()}"));
        Assert.Equal(1, answer.Count("KeysCapped"));
    }

    [Fact]
    public async Task GuardDuty_WhenALongTermKeyIsCompromised_DeactivatesExactlyThatKeyEvenInUse()
    {
        var user = await NewUserAsync("compromised");
        var compromised = await moto.CreateAccessKeyAsync(user);
        var other = await moto.CreateAccessKeyAsync(user);
        await moto.UseKeyAsync(compromised);

        var answer = await InvokeAsync(Sample("guardduty-compromised-long-term-key.json", ("AKIAEXAMPLEKEYID0001", Id(compromised))), now: null);

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(new Dictionary<string, string> { [Id(compromised)] = "Inactive", [Id(other)] = "Active" }, await moto.KeyStatusesAsync(user));
    }

    [Fact]
    public async Task GuardDuty_WhenTheFindingIsASample_ReportsItAndCallsNothing()
    {
        var user = await NewUserAsync("sampled");
        var key = Id(await moto.CreateAccessKeyAsync(user));
        var sample = Sample("guardduty-compromised-long-term-key.json", ("AKIAEXAMPLEKEYID0001", key), ("\"additionalInfo\": {}", "\"additionalInfo\": {\"sample\": true}"));
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(sample, now: null);

        Assert.Empty(await recording.StopAsync());
        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Contains("sample finding", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Active", (await moto.KeyStatusesAsync(user))[key]);
    }

    [Theory]
    [InlineData("\"account\": \"123456789012\"", "\"account\": \"210987654321\"")]
    [InlineData("\"accountId\": \"123456789012\"", "\"accountId\": \"210987654321\"")]
    public async Task GuardDuty_WhenTheFindingNamesAnotherAccount_IsRejectedWithoutAnyCall(string from, string to)
    {
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(Sample("guardduty-compromised-long-term-key.json", (from, to)), now: null);

        Assert.Empty(await recording.StopAsync());
        Assert.Equal("Rejected", answer.Status);
        Assert.Contains("210987654321", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuardDuty_WhenTheKeyIsAlreadyInactive_IsANoOp()
    {
        var user = await NewUserAsync("redelivered");
        var key = Id(await moto.CreateAccessKeyAsync(user));
        await moto.Iam().UpdateAccessKeyAsync(user, key, "Inactive", CancellationToken.None);
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(Sample("guardduty-compromised-long-term-key.json", ("AKIAEXAMPLEKEYID0001", key)), now: null);

        Assert.DoesNotContain("UpdateAccessKey", await recording.StopAsync());
        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Equal("Inactive", (await moto.KeyStatusesAsync(user))[key]);
    }

    [Fact]
    public async Task Config_WhenNoUserHasTheId_ChangesNothing()
    {
        var answer = await InvokeAsync(ConfigEvent("AIDANOSUCHUSER000001"), DateTimeOffset.UtcNow.AddDays(100));

        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Contains("AIDANOSUCHUSER000001", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuardDuty_WhenTheKeyIsTemporary_ReportsItAndCallsNothing()
    {
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(Sample("guardduty-temporary-key.json"), now: null);

        Assert.Empty(await recording.StopAsync());
        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Contains("temporary", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_WithAUserId_DeactivatesThatUsersKeyOnly()
    {
        var target = await NewUserAsync("target");
        var bystander = await NewUserAsync("bystander");
        var targetKey = Id(await moto.CreateAccessKeyAsync(target));
        var bystanderKey = Id(await moto.CreateAccessKeyAsync(bystander));

        var answer = await InvokeAsync(ConfigEvent(await UserIdAsync(target)), DateTimeOffset.UtcNow.AddDays(100));

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal("Inactive", (await moto.KeyStatusesAsync(target))[targetKey]);
        Assert.Equal("Active", (await moto.KeyStatusesAsync(bystander))[bystanderKey]);
    }

    [Fact]
    public async Task Config_InDryRun_ChangesNothing()
    {
        var user = await NewUserAsync("dry-run");
        var key = Id(await moto.CreateAccessKeyAsync(user));
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(ConfigEvent(await UserIdAsync(user)), DateTimeOffset.UtcNow.AddDays(100), new() { ["Mode"] = "dry-run" });

        Assert.DoesNotContain("UpdateAccessKey", await recording.StopAsync());
        Assert.Equal("DryRun", answer.Status);
        Assert.Equal("Active", (await moto.KeyStatusesAsync(user))[key]);
    }

    [Fact]
    public async Task Scan_OverAThousandUsersWithoutCandidates_MakesNoPerUserCall()
    {
        var names = Enumerable.Range(0, 1000).Select(i => $"bulk-{_run}-{i:D4}").ToList();
        _users.AddRange(names);
        foreach (var chunk in names.Chunk(25))
            await Task.WhenAll(chunk.Select(name => moto.CreateUserAsync(name)));
        foreach (var chunk in names.Where((_, i) => i % 10 == 0).Chunk(25))
            await Task.WhenAll(chunk.Select(name => moto.CreateAccessKeyAsync(name)));
        var recording = await moto.StartRecordingAsync();

        var answer = await InvokeAsync(Sample("scheduled-scan.json"), now: null);

        var operations = await recording.StopAsync();
        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.All(operations, op => Assert.Contains(op, ReportOperations));
        Assert.Contains("GetCredentialReport", operations);
    }

    private async Task<string> NewUserAsync(string role, string path = "/", params (string Key, string Value)[] tags)
    {
        var name = $"{role}-{_run}";
        await moto.CreateUserAsync(name, path, tags);
        _users.Add(name);
        return name;
    }

    private async Task<string> UserIdAsync(string userName) =>
        (await moto.Iam().GetUserAsync(userName, CancellationToken.None))!.UserId;

    private static string Id(Amazon.Runtime.BasicAWSCredentials key) => key.GetCredentials().AccessKey;

    private static string Sample(string name, params (string, string)[] replacements) =>
        LocalInvoke.SampleEvent(Path.Combine("unused-key-disabler", name), replacements);

    private static string ConfigEvent(string userId) =>
        Sample("config-unused-credentials-noncompliant.json", ("AIDAEXAMPLEUSERID0001", userId));

    private Task<FunctionAnswer> InvokeAsync(string eventJson, DateTimeOffset? now, Dictionary<string, string>? parameters = null)
    {
        var all = new Dictionary<string, string> { ["Mode"] = "enforce", ["ExemptUserNames"] = SigningUser };
        foreach (var (name, value) in parameters ?? [])
            all[name] = value;
        var environment = now is { } instant
            ? new Dictionary<string, string> { [TestClock.Variable] = instant.ToString("O", CultureInfo.InvariantCulture) }
            : null;
        return moto.InvokeAsync(Function, eventJson, all, environment: environment);
    }
}
