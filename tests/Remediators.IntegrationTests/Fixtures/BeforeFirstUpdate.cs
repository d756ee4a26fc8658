using Remediators.Core.Aws;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>
/// The real WAF client with a test's action run once, just before the first UpdateIPSet: the worst moment for another
/// writer (or a sighting) to race the one under test.
/// </summary>
public sealed class BeforeFirstUpdate(IIpSetClient inner, Func<Task> action) : IIpSetClient
{
    public bool Ran { get; private set; }

    public Task<GetIpSetResponse> GetIpSetAsync(IpSetReference set, CancellationToken cancellationToken) => inner.GetIpSetAsync(set, cancellationToken);

    public async Task<UpdateIpSetResponse> UpdateIpSetAsync(
        IpSetReference set, IReadOnlyList<string> addresses, string lockToken, CancellationToken cancellationToken, string? description = null)
    {
        if (!Ran)
        {
            Ran = true;
            await action();
        }
        return await inner.UpdateIpSetAsync(set, addresses, lockToken, cancellationToken, description);
    }
}
