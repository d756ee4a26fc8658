using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using UnusedKeyDisabler;

namespace Remediators.Tests.UnusedKeyDisabler;

public sealed class UnusedKeyPolicyTests
{
    private static readonly UnusedKeyDisablerSettings Settings = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static KeyUsage Key(string id, TimeSpan createdAgo, TimeSpan? usedAgo, bool active = true) =>
        new("alice", id, active, Now - createdAgo, usedAgo is { } ago ? Now - ago : null);

    private static TimeSpan Days(double days) => TimeSpan.FromDays(days);

    [Fact]
    public void IsUnused_WhenLastUsedExactly90DaysAgo_KeepsTheKey() =>
        Assert.False(UnusedKeyPolicy.IsUnused(Key("AKIA1", Days(400), Days(90)), Now, Settings));

    [Fact]
    public void IsUnused_WhenLastUsedOneTickMoreThan90DaysAgo_DeactivatesTheKey() =>
        Assert.True(UnusedKeyPolicy.IsUnused(Key("AKIA1", Days(400), Days(90) + TimeSpan.FromTicks(1)), Now, Settings));

    [Fact]
    public void IsUnused_WhenCreatedLongAgoButUsedYesterday_KeepsTheKey() =>
        Assert.False(UnusedKeyPolicy.IsUnused(Key("AKIA1", Days(1000), Days(1)), Now, Settings));

    [Fact]
    public void IsUnused_WhenNeverUsedAndCreated91DaysAgo_DeactivatesTheKey() =>
        Assert.True(UnusedKeyPolicy.IsUnused(Key("AKIA1", Days(91), null), Now, Settings));

    [Fact]
    public void IsUnused_WhenNeverUsedAndYoungerThanTheGrace_KeepsItEvenWithAShortMaxAge()
    {
        var settings = Settings with { MaxKeyAgeDays = 1, NeverUsedGraceDays = 7 };

        Assert.False(UnusedKeyPolicy.IsUnused(Key("AKIA1", Days(7) - TimeSpan.FromTicks(1), null), Now, settings));
        Assert.True(UnusedKeyPolicy.IsUnused(Key("AKIA1", Days(7), null), Now, settings));
    }

    [Fact]
    public void IsUnused_WhenTheKeyIsInactive_IsANoOp() =>
        Assert.False(UnusedKeyPolicy.IsUnused(Key("AKIA1", Days(1000), null, active: false), Now, Settings));

    [Fact]
    public void IsCandidate_WhenOneOfTwoReportedKeysIsStale_PicksTheUser()
    {
        var user = new ReportedUser("alice", "arn:aws:iam::123456789012:user/alice",
            [new ReportedKey(1, Now - Days(200), Now - Days(1)), new ReportedKey(2, Now - Days(200), null)]);

        Assert.True(UnusedKeyPolicy.IsCandidate(user, Now, Settings));
        Assert.False(UnusedKeyPolicy.IsCandidate(user with { ActiveKeys = [user.ActiveKeys[0]] }, Now, Settings));
    }

    [Fact]
    public void Order_PutsTheOldestActivityFirst_ThenTheKeyId()
    {
        KeyUsage[] keys = [Key("AKIA-B", Days(300), Days(100)), Key("AKIA-A", Days(500), null), Key("AKIA-D", Days(200), Days(95)), Key("AKIA-C", Days(200), Days(95))];

        Assert.Equal(["AKIA-A", "AKIA-B", "AKIA-C", "AKIA-D"], UnusedKeyPolicy.Order(keys).Select(k => k.AccessKeyId));
    }

    [Theory]
    [InlineData(0, 0, 1, true)]
    [InlineData(1, 0, 1, false)]
    [InlineData(0, 1, 1, false)]
    [InlineData(2, 2, 3, true)]
    [InlineData(3, 0, 3, false)]
    [InlineData(0, 3, 3, false)]
    public void MayAttempt_UntilTheCapIsDeactivatedOrAsManyAttemptsFailed(int deactivated, int failed, int cap, bool expected) =>
        Assert.Equal(expected, UnusedKeyPolicy.MayAttempt(deactivated, failed, cap));

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool IsUnused_NeverForAKeyActiveWithinMaxAge(KeyUsage key) =>
        !(UnusedKeyPolicy.IsUnused(key, Now, Settings) && Now - key.LastActivity <= Settings.MaxKeyAge);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool IsUnused_NeverForANeverUsedKeyInsideTheGrace(KeyUsage key, PositiveInt maxAgeDays)
    {
        var settings = Settings with { MaxKeyAgeDays = maxAgeDays.Get % 30 + 1 };
        return !(UnusedKeyPolicy.IsUnused(key, Now, settings) && key.LastUsed is null && Now - key.CreateDate < settings.NeverUsedGrace);
    }

    public static class Arbitraries
    {
        public static Arbitrary<KeyUsage> Keys() =>
            (from id in Gen.Choose(1, 100_000)
             from active in Gen.Elements(true, true, false)
             from createdHoursAgo in Gen.Choose(0, 24 * 400)
             from usedHoursAfterCreation in Gen.Choose(-1, 24 * 400)
             select new KeyUsage("alice", $"AKIA{id:D16}", active, Now - TimeSpan.FromHours(createdHoursAgo),
                 usedHoursAfterCreation < 0 || usedHoursAfterCreation > createdHoursAgo
                     ? null
                     : Now - TimeSpan.FromHours(createdHoursAgo - usedHoursAfterCreation))).ToArbitrary();
    }
}
