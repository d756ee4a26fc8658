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
    public async Task Run_WhenADeactivationDoesNotTakeEffect_FailsSoLambdaRetries()
    {
        var key = (await moto.CreateAccessKeyAsync(_user)).GetCredentials().AccessKey;
        var userId = (await moto.Iam().GetUserAsync(_user, CancellationToken.None))!.UserId;
        var settings = new UnusedKeyDisablerSettings
        {
            Mode = RemediationMode.Enforce,
            Exemptions = new ExemptionPolicy(null, null, new HashSet<string> { "remediators-tests" }),
        };
        var gateway = new IgnoresDeactivation(new AccessKeyGateway(moto.Iam(), TimeProvider.System));
        var function = new Function(settings, gateway, new TestClock.FixedNow(DateTimeOffset.UtcNow.AddDays(100)));
        var payload = System.Text.Encoding.UTF8.GetBytes(LocalInvoke.SampleEvent(
            Path.Combine("unused-key-disabler", "config-unused-credentials-noncompliant.json"), ("AIDAEXAMPLEUSERID0001", userId)));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => function.RunAsync(
            payload, new InvocationContext("request-1", DateTimeOffset.UtcNow.AddMinutes(1), null, null), CancellationToken.None));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Equal("Active", (await moto.KeyStatusesAsync(_user))[key]);
    }

    /// <summary>UpdateAccessKey "succeeds" without changing anything, as an eventually consistent or misbehaving API could.</summary>
    private sealed class IgnoresDeactivation(IAccessKeyGateway inner) : IAccessKeyGateway
    {
        public Task<IReadOnlyList<ReportedUser>> ReadCredentialReportAsync(CancellationToken cancellationToken) => inner.ReadCredentialReportAsync(cancellationToken);
        public Task<IamUser?> FindUserByIdAsync(string userId, CancellationToken cancellationToken) => inner.FindUserByIdAsync(userId, cancellationToken);
        public Task<IamUser?> GetUserAsync(string userName, CancellationToken cancellationToken) => inner.GetUserAsync(userName, cancellationToken);
        public Task<string?> FindKeyOwnerAsync(string accessKeyId, CancellationToken cancellationToken) => inner.FindKeyOwnerAsync(accessKeyId, cancellationToken);
        public Task<IReadOnlyDictionary<string, string>> ListUserTagsAsync(string userName, CancellationToken cancellationToken) => inner.ListUserTagsAsync(userName, cancellationToken);
        public Task<IReadOnlyList<KeyUsage>> ListKeysAsync(string userName, CancellationToken cancellationToken) => inner.ListKeysAsync(userName, cancellationToken);
        public Task<IReadOnlyDictionary<string, string>> KeyStatusesAsync(string userName, CancellationToken cancellationToken) => inner.KeyStatusesAsync(userName, cancellationToken);
        public Task DeactivateKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
