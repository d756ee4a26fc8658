using Remediators.Core.Aws;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Fixtures;
using UnusedKeyDisabler;

namespace Remediators.IntegrationTests.UnusedKeyDisabler;

/// <summary>Faults moto cannot produce, injected at the gateway while every other call goes to moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class DeactivationFaultTests(MotoServer moto) : IAsyncLifetime
{
    private readonly string _user = $"fault-{Guid.NewGuid():N}"[..14];

    public Task InitializeAsync() => moto.CreateUserAsync(_user);

    public Task DisposeAsync() => moto.DeleteUserAsync(_user);

    [Fact]
    public async Task Run_WhenADeactivationDoesNotTakeEffect_ReportsThatKeyFailedSoLambdaRetries()
    {
        var key = (await moto.CreateAccessKeyAsync(_user)).GetCredentials().AccessKey;

        var outcome = await RunAsync(ConfigEvent(await UserIdAsync()), IgnoresDeactivation);

        var failed = Assert.Single(outcome.Errors);
        Assert.Equal((key, OutcomeStatus.Failed), (failed.ResourceId, failed.Status));
        Assert.Contains("still active after UpdateAccessKey", failed.Reason, StringComparison.Ordinal);
        Assert.Equal("Active", (await moto.KeyStatusesAsync(_user))[key]);
    }

    [Fact]
    public async Task Run_WhenOneKeyIsDeniedByAnScp_FailsOnlyThatKeyAndDeactivatesTheOther()
    {
        var denied = (await moto.CreateAccessKeyAsync(_user)).GetCredentials().AccessKey;
        var other = (await moto.CreateAccessKeyAsync(_user)).GetCredentials().AccessKey;

        var outcome = await RunAsync(ConfigEvent(await UserIdAsync()), inner => DeniesOneKey(inner, denied));

        Assert.Equal(OutcomeStatus.Failed, outcome.Status);
        var failed = Assert.Single(outcome.Errors);
        Assert.Equal((denied, "AccessDenied"), (failed.ResourceId, failed.Error));
        var done = Assert.Single(outcome.Resources, r => r.Status == OutcomeStatus.Remediated);
        Assert.Equal(other, done.ResourceId);
        Assert.Contains("update-access-key", Assert.Single(done.Changes).HowToUndo, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { [denied] = "Active", [other] = "Inactive" }, await moto.KeyStatusesAsync(_user));
    }

    private Task<Outcome> RunAsync(string eventJson, Func<IAccessKeyGateway, IAccessKeyGateway> wrap)
    {
        var settings = new UnusedKeyDisablerSettings
        {
            Mode = RemediationMode.Enforce,
            Exemptions = new ExemptionPolicy(null, null, new HashSet<string> { "remediators-tests" }),
        };
        var function = new Function(settings, wrap(new AccessKeyGateway(moto.Iam(), TimeProvider.System)), new TestClock.FixedNow(DateTimeOffset.UtcNow.AddDays(100)));
        return function.RunAsync(System.Text.Encoding.UTF8.GetBytes(eventJson), new InvocationContext("request-1", DateTimeOffset.UtcNow.AddMinutes(1),
            $"arn:aws:lambda:{MotoServer.Region}:{MotoServer.AccountId}:function:{Function.Name}", null), CancellationToken.None);
    }

    private async Task<string> UserIdAsync() => (await moto.Iam().GetUserAsync(_user, CancellationToken.None))!.UserId;

    private static string ConfigEvent(string userId) => LocalInvoke.SampleEvent(
        Path.Combine("unused-key-disabler", "config-unused-credentials-noncompliant.json"), ("AIDAEXAMPLEUSERID0001", userId));

    /// <summary>Forwards every call to moto's gateway except UpdateAccessKey, which <paramref name="deactivate"/> answers.</summary>
    private sealed class FaultyDeactivation(IAccessKeyGateway inner, Func<string, string, CancellationToken, Task> deactivate) : IAccessKeyGateway
    {
        public Task<IReadOnlyList<ReportedUser>> ReadCredentialReportAsync(CancellationToken cancellationToken) => inner.ReadCredentialReportAsync(cancellationToken);
        public Task<IamUser?> FindUserByIdAsync(string userId, CancellationToken cancellationToken) => inner.FindUserByIdAsync(userId, cancellationToken);
        public Task<IamUser?> GetUserAsync(string userName, CancellationToken cancellationToken) => inner.GetUserAsync(userName, cancellationToken);
        public Task<string?> FindKeyOwnerAsync(string accessKeyId, CancellationToken cancellationToken) => inner.FindKeyOwnerAsync(accessKeyId, cancellationToken);
        public Task<IReadOnlyDictionary<string, string>> ListUserTagsAsync(string userName, CancellationToken cancellationToken) => inner.ListUserTagsAsync(userName, cancellationToken);
        public Task<IReadOnlyList<KeyUsage>> ListKeysAsync(string userName, CancellationToken cancellationToken) => inner.ListKeysAsync(userName, cancellationToken);
        public Task<IReadOnlyDictionary<string, string>> KeyStatusesAsync(string userName, CancellationToken cancellationToken) => inner.KeyStatusesAsync(userName, cancellationToken);
        public Task DeactivateKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken) => deactivate(userName, accessKeyId, cancellationToken);
    }

    /// <summary>UpdateAccessKey on one key answers AccessDenied, as a service control policy protecting it would.</summary>
    private static FaultyDeactivation DeniesOneKey(IAccessKeyGateway inner, string deniedKey) => new FaultyDeactivation(inner, (user, key, token) => key == deniedKey
        ? throw new AwsServiceException("iam", "UpdateAccessKey", 403, "AccessDenied", "explicit deny in a service control policy")
        : inner.DeactivateKeyAsync(user, key, token));

    /// <summary>UpdateAccessKey "succeeds" without changing anything, as an eventually consistent or misbehaving API could.</summary>
    private static FaultyDeactivation IgnoresDeactivation(IAccessKeyGateway inner) => new FaultyDeactivation(inner, (_, _, _) => Task.CompletedTask);
}
