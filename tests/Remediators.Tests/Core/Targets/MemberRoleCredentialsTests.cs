using Amazon.Runtime;
using Remediators.Core.Targets;

namespace Remediators.Tests.Core.Targets;

/// <summary>One AssumeRole per account for as long as its session lasts, refreshed five minutes before it ends.</summary>
public sealed class MemberRoleCredentialsTests
{
    private const string RoleArn = "arn:aws:iam::222222222222:role/remediators-PublicIngressRevoker";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly MovableClock _clock = new(Start);
    private readonly CountingAssumer _sts;

    public MemberRoleCredentialsTests() => _sts = new CountingAssumer(_clock);

    [Fact]
    public async Task ManyUses_WithinTheSession_AssumeTheRoleOnce()
    {
        using var credentials = new MemberRoleCredentials(RoleArn, _sts, _clock);

        await credentials.EnsureAsync("event-1", CancellationToken.None);
        for (var i = 0; i < 20; i++)
            await credentials.GetCredentialsAsync();
        _clock.Now = Start.AddMinutes(54);
        credentials.GetCredentials();

        Assert.Equal([(RoleArn, "event-1")], _sts.Calls);
    }

    [Fact]
    public async Task FiveMinutesBeforeExpiry_TheRoleIsAssumedAgain_NamedAfterTheLatestEvent()
    {
        using var credentials = new MemberRoleCredentials(RoleArn, _sts, _clock);
        await credentials.EnsureAsync("event-1", CancellationToken.None);

        _clock.Now = Start.AddMinutes(55);
        await credentials.EnsureAsync("event-2", CancellationToken.None);
        var held = await credentials.GetCredentialsAsync();

        Assert.Equal(["event-1", "event-2"], _sts.Calls.Select(c => c.SessionName));
        Assert.Equal("ASIA2", held.AccessKey);
    }

    [Fact]
    public async Task ConcurrentFirstUses_ShareOneAssumeRole()
    {
        using var credentials = new MemberRoleCredentials(RoleArn, _sts, _clock);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(credentials.GetCredentialsAsync)));

        Assert.Single(_sts.Calls);
    }

    [Fact]
    public async Task AFailedAssumeRole_IsNotKept_TheNextUseTriesAgain()
    {
        using var credentials = new MemberRoleCredentials(RoleArn, _sts, _clock);
        _sts.Fail = true;
        await Assert.ThrowsAsync<AmazonServiceException>(() => credentials.EnsureAsync("event-1", CancellationToken.None));

        _sts.Fail = false;
        await credentials.EnsureAsync("event-2", CancellationToken.None);

        Assert.Equal(2, _sts.Calls.Count);
    }

    [Theory]
    [InlineData("0f2a9a57-3c71-4f1d-9d0e-5c1b2a3d4e5f", "0f2a9a57-3c71-4f1d-9d0e-5c1b2a3d4e5f")]
    [InlineData("id with spaces/and:colons", "id-with-spaces-and-colons")]
    [InlineData("x", "event-x")]
    [InlineData("", "event-")]
    public void SessionName_CarriesTheEventId_InTheCharactersAssumeRoleAllows(string eventId, string expected) =>
        Assert.Equal(expected, MemberRoleCredentials.SessionName(eventId));

    [Fact]
    public void SessionName_OfALongEventId_IsCutTo64Characters()
    {
        var name = MemberRoleCredentials.SessionName(new string('a', 100));

        Assert.Equal(new string('a', 64), name);
    }

    private sealed class MovableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Issues one-hour sessions numbered ASIA1, ASIA2...; records every call.</summary>
    private sealed class CountingAssumer(TimeProvider clock) : IRoleAssumer
    {
        private readonly Lock _gate = new();
        public List<(string RoleArn, string SessionName)> Calls { get; } = [];
        public bool Fail { get; set; }

        public async Task<RoleSession> AssumeRoleAsync(string roleArn, string sessionName, CancellationToken cancellationToken)
        {
            await Task.Yield();
            int number;
            lock (_gate)
            {
                Calls.Add((roleArn, sessionName));
                number = Calls.Count;
            }
            if (Fail)
                throw new AmazonServiceException("User is not authorized to perform: sts:AssumeRole") { ErrorCode = "AccessDenied" };
            return new RoleSession(new ImmutableCredentials($"ASIA{number}", "secret", "token"), clock.GetUtcNow().AddHours(1));
        }
    }
}
