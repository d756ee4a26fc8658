using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using EncryptionEnforcer;
using Remediators.Core.Aws;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.EncryptionEnforcer;

/// <summary>
/// What moto cannot do, injected at the EBS gateway while every other call goes to moto: a setting that reads back late,
/// an enable that does not take, and GetEbsDefaultKmsKeyId, which moto 5.2.1 does not implement (it answers 500).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class EbsFaultTests(MotoServer moto)
{
    [Fact]
    public async Task Run_WhenTheSettingReadsBackLate_WaitsWithinTheBoundAndVerifies()
    {
        const string region = "ca-central-1";
        await moto.DisableEbsEncryptionByDefaultAsync(region);
        var clock = new InstantDelays();

        var outcome = await RunAsync(region, new EncryptionEnforcerSettings { Mode = RemediationMode.Enforce }, real => new ReadsBackLate(real, lateReads: 2), clock);

        Assert.Equal(OutcomeStatus.Remediated, outcome.Status);
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)], clock.Waited);
        Assert.True(await moto.EbsEncryptedByDefaultAsync(region));
    }

    [Fact]
    public async Task Run_WhenEnablingDoesNotTakeEffect_FailsAfterTheBoundedWaitSoLambdaRetries()
    {
        const string region = "sa-east-1";
        await moto.DisableEbsEncryptionByDefaultAsync(region);
        var clock = new InstantDelays();

        var outcome = await RunAsync(region, new EncryptionEnforcerSettings { Mode = RemediationMode.Enforce }, real => new IgnoresEnable(real), clock);

        var failed = Assert.Single(outcome.Errors);
        Assert.Equal((OutcomeStatus.Failed, nameof(InvalidOperationException)), (failed.Status, failed.Error));
        Assert.Contains("still reads as off", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(failed.Changes);
        Assert.Equal(EbsRemediation.VerifyDelays, clock.Waited);
        Assert.False(await moto.EbsEncryptedByDefaultAsync(region));
    }

    [Fact]
    public async Task Run_WithADefaultKeyConfigured_EnablesFirstThenSetsTheKey()
    {
        const string region = "us-east-2";
        var key = await CreateKmsKeyAsync(region);
        await moto.DisableEbsEncryptionByDefaultAsync(region);
        var settings = new EncryptionEnforcerSettings { Mode = RemediationMode.Enforce, EbsDefaultKmsKey = KmsKeyArn.Parse(key) };
        var recording = await moto.StartRecordingAsync();

        var outcome = await RunAsync(region, settings, real => new AnswersDefaultKey(real, "alias/aws/ebs"), new InstantDelays());

        Assert.Equal(["GetEbsEncryptionByDefault", "EnableEbsEncryptionByDefault", "GetEbsEncryptionByDefault", "ModifyEbsDefaultKmsKeyId"], await recording.StopAsync());
        Assert.Equal(OutcomeStatus.Remediated, outcome.Status);
        var setKey = Assert.Single(outcome.Resources.Single().Changes, c => c.Action == EbsRemediation.SetKeyAction);
        Assert.Equal(("alias/aws/ebs", key), (setKey.Undo["previousKmsKeyId"], setKey.Undo["newKmsKeyId"]));
    }

    private Task<Outcome> RunAsync(string region, EncryptionEnforcerSettings settings, Func<IEbsGateway, IEbsGateway> wrap, TimeProvider clock)
    {
        var function = new Function(settings,
            _ => throw new InvalidOperationException("no bucket is involved"),
            _ => throw new InvalidOperationException("no bucket key is involved"),
            target => wrap(new EbsGateway(moto.Ec2(target.Region))),
            clock);
        var payload = LocalInvoke.SampleEvent(Path.Combine("encryption-enforcer", "disable-ebs-encryption-by-default.json"), ("us-east-1", region));
        return function.RunAsync(System.Text.Encoding.UTF8.GetBytes(payload),
            new InvocationContext("request-1", DateTimeOffset.UtcNow.AddMinutes(1), $"arn:aws:lambda:{region}:{MotoServer.AccountId}:function:{Function.Name}", null), CancellationToken.None);
    }

    private async Task<string> CreateKmsKeyAsync(string region)
    {
        var kms = new JsonProtocolClient(new AwsService("kms", "KMS", r => (new Uri($"https://kms.{r}.amazonaws.com"), r)),
            "TrentService", region, moto.Credentials, new HttpClient(), RetryBackoff.Default);
        var created = await kms.CallAsync("CreateKey", new CreateKeyRequest("EBS default key for tests"),
            KmsSeedJsonContext.Default.CreateKeyRequest, KmsSeedJsonContext.Default.CreateKeyResponse, CancellationToken.None);
        return created.KeyMetadata.Arn;
    }

    /// <summary>Timers fire at once, recording how long the code asked to wait.</summary>
    private sealed class InstantDelays : TimeProvider
    {
        private readonly ConcurrentQueue<TimeSpan> _waited = new();

        public IReadOnlyList<TimeSpan> Waited => [.. _waited];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _waited.Enqueue(dueTime);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new FiredTimer();
        }

        private sealed class FiredTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>After enabling, the setting reads as off a few more times, as a just-changed regional setting can.</summary>
    private sealed class ReadsBackLate(IEbsGateway inner, int lateReads) : IEbsGateway
    {
        private bool _enabled;
        private int _lateReads = lateReads;

        public async Task<bool> IsEncryptedByDefaultAsync(CancellationToken cancellationToken) =>
            await inner.IsEncryptedByDefaultAsync(cancellationToken) && !(_enabled && _lateReads-- > 0);

        public Task<string?> GetDefaultKmsKeyIdAsync(CancellationToken cancellationToken) => inner.GetDefaultKmsKeyIdAsync(cancellationToken);

        public async Task EnableEncryptionByDefaultAsync(CancellationToken cancellationToken)
        {
            await inner.EnableEncryptionByDefaultAsync(cancellationToken);
            _enabled = true;
        }

        public Task<string?> SetDefaultKmsKeyAsync(string keyArn, CancellationToken cancellationToken) => inner.SetDefaultKmsKeyAsync(keyArn, cancellationToken);
    }

    /// <summary>EnableEbsEncryptionByDefault "succeeds" without changing anything.</summary>
    private sealed class IgnoresEnable(IEbsGateway inner) : IEbsGateway
    {
        public Task<bool> IsEncryptedByDefaultAsync(CancellationToken cancellationToken) => inner.IsEncryptedByDefaultAsync(cancellationToken);
        public Task<string?> GetDefaultKmsKeyIdAsync(CancellationToken cancellationToken) => inner.GetDefaultKmsKeyIdAsync(cancellationToken);
        public Task EnableEncryptionByDefaultAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<string?> SetDefaultKmsKeyAsync(string keyArn, CancellationToken cancellationToken) => inner.SetDefaultKmsKeyAsync(keyArn, cancellationToken);
    }

    /// <summary>Answers GetEbsDefaultKmsKeyId, which moto lacks, with a fixed key; everything else goes to moto.</summary>
    private sealed class AnswersDefaultKey(IEbsGateway inner, string currentKey) : IEbsGateway
    {
        public Task<bool> IsEncryptedByDefaultAsync(CancellationToken cancellationToken) => inner.IsEncryptedByDefaultAsync(cancellationToken);
        public Task<string?> GetDefaultKmsKeyIdAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(currentKey);
        public Task EnableEncryptionByDefaultAsync(CancellationToken cancellationToken) => inner.EnableEncryptionByDefaultAsync(cancellationToken);
        public Task<string?> SetDefaultKmsKeyAsync(string keyArn, CancellationToken cancellationToken) => inner.SetDefaultKmsKeyAsync(keyArn, cancellationToken);
    }
}

internal sealed record CreateKeyRequest(string Description);

internal sealed record CreateKeyResponse(KmsKeyMetadata KeyMetadata);

internal sealed record KmsKeyMetadata(string Arn);

[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(CreateKeyResponse))]
internal sealed partial class KmsSeedJsonContext : JsonSerializerContext;
