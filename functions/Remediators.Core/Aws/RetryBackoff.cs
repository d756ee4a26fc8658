namespace Remediators.Core.Aws;

/// <summary>Retries transient failures with capped exponential backoff and full jitter.</summary>
public sealed record RetryBackoff(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeProvider Clock)
{
    public static readonly RetryBackoff Default = new(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeProvider.System);

    public async Task<T> ExecuteAsync<T>(Func<Task<T>> attempt, Func<Exception, bool> isTransient, CancellationToken cancellationToken)
    {
        for (var attemptNumber = 1; ; attemptNumber++)
        {
            try
            {
                return await attempt();
            }
            catch (Exception error) when (attemptNumber < MaxAttempts && isTransient(error) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(DelayBefore(attemptNumber + 1, Random.Shared.NextDouble()), Clock, cancellationToken);
            }
        }
    }

    /// <summary>Full jitter: a uniform delay between zero and the capped exponential bound.</summary>
    public TimeSpan DelayBefore(int attemptNumber, double jitter)
    {
        var bound = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attemptNumber - 2));
        return TimeSpan.FromMilliseconds(bound * jitter);
    }
}
