using FsCheck.Xunit;
using Remediators.Core.Aws;

namespace Remediators.Tests.Core;

public sealed class RetryBackoffTests
{
    private static readonly RetryBackoff Instant = new(4, TimeSpan.Zero, TimeSpan.Zero, TimeProvider.System);

    [Fact]
    public async Task ExecuteAsync_WhenTransientFailuresStopBeforeTheLastAttempt_ReturnsTheResult()
    {
        var attempts = 0;

        var result = await Instant.ExecuteAsync(() => ++attempts < 3 ? throw new HttpRequestException("reset") : Task.FromResult("ok"),
            e => e is HttpRequestException, CancellationToken.None);

        Assert.Equal(("ok", 3), (result, attempts));
    }

    [Fact]
    public async Task ExecuteAsync_WhenEveryAttemptFailsTransiently_ThrowsAfterMaxAttempts()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<HttpRequestException>(() => Instant.ExecuteAsync<string>(
            () => { attempts++; throw new HttpRequestException("reset"); }, _ => true, CancellationToken.None));

        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task ExecuteAsync_APermanentError_IsNotRetried()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<AwsServiceException>(() => Instant.ExecuteAsync<string>(
            () => { attempts++; throw new AwsServiceException("iam", "GetUser", 404, "NoSuchEntity", "gone"); },
            e => e is AwsServiceException { IsTransient: true }, CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Property]
    public bool DelayBefore_StaysWithinZeroAndTheCap(byte attempt, double jitterSeed)
    {
        var jitter = Math.Abs(jitterSeed % 1);
        var delay = RetryBackoff.Default.DelayBefore(attempt + 2, double.IsNaN(jitter) ? 0 : jitter);
        return delay >= TimeSpan.Zero && delay <= RetryBackoff.Default.MaxDelay;
    }

    [Theory]
    [InlineData(503, "ServiceUnavailable", true)]
    [InlineData(400, "Throttling", true)]
    [InlineData(400, "ThrottlingException", true)]
    [InlineData(429, "TooManyRequestsException", true)]
    [InlineData(400, "WAFOptimisticLockException", false)]
    [InlineData(403, "AccessDenied", false)]
    public void IsTransient_TreatsThrottlingAndServerErrorsAsTransient(int status, string code, bool transient) =>
        Assert.Equal(transient, new AwsServiceException("svc", "Op", status, code, "").IsTransient);
}
