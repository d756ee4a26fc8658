using System.Text.RegularExpressions;
using Amazon.Runtime;

namespace Remediators.Core.Targets;

/// <summary>AssumeRole, behind the one verb the hub needs, so the credentials' cache can be tested against a clock.</summary>
public interface IRoleAssumer
{
    Task<RoleSession> AssumeRoleAsync(string roleArn, string sessionName, CancellationToken cancellationToken);
}

public sealed record RoleSession(ImmutableCredentials Credentials, DateTimeOffset Expiration);

/// <summary>
/// The credentials of one member account's role: assumed on first use and kept until <see cref="RefreshBefore"/> their
/// expiry, so a warm container makes one AssumeRole per account for as long as sessions last (an hour by default).
/// </summary>
public sealed partial class MemberRoleCredentials(string roleArn, IRoleAssumer assumer, TimeProvider clock) : AWSCredentials, IDisposable
{
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    public const int MaxSessionNameLength = 64;

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private RoleSession? _session;
    private string _sessionName = SessionName("remediators");

    public string RoleArn => roleArn;

    /// <summary>Assumes the role now unless fresh credentials are held; a new session is named after <paramref name="eventId"/>.</summary>
    public async Task EnsureAsync(string eventId, CancellationToken cancellationToken)
    {
        _sessionName = SessionName(eventId);
        await CurrentAsync(cancellationToken);
    }

    public override ImmutableCredentials GetCredentials() =>
        Fresh() ?? CurrentAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override Task<ImmutableCredentials> GetCredentialsAsync() => CurrentAsync(CancellationToken.None);

    /// <summary>A session name AssumeRole accepts (2 to 64 of <c>[\w+=,.@-]</c>) that carries the event id.</summary>
    public static string SessionName(string eventId)
    {
        var name = NotAllowed().Replace(eventId, "-");
        name = name.Length < 2 ? $"event-{name}" : name;
        return name.Length > MaxSessionNameLength ? name[..MaxSessionNameLength] : name;
    }

    private ImmutableCredentials? Fresh() =>
        _session is { } session && clock.GetUtcNow() < session.Expiration - RefreshBefore ? session.Credentials : null;

    private async Task<ImmutableCredentials> CurrentAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } held)
            return held;
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } refreshedMeanwhile)
                return refreshedMeanwhile;
            _session = await assumer.AssumeRoleAsync(roleArn, _sessionName, cancellationToken);
            return _session.Credentials;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose() => _refreshing.Dispose();

    [GeneratedRegex(@"[^A-Za-z0-9+=,.@_-]")]
    private static partial Regex NotAllowed();
}
