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
    public void Cap_WithMoreUnusedKeysThanTheCap_DeactivatesTheOldestAndCapsTheRest()
    {
        KeyUsage[] keys = [Key("AKIA-B", Days(300), Days(100)), Key("AKIA-A", Days(500), null), Key("AKIA-C", Days(200), Days(95))];

        var plan = UnusedKeyPolicy.Cap(keys, 2);

        Assert.Equal(["AKIA-A", "AKIA-B"], plan.Deactivate.Select(k => k.AccessKeyId));
        Assert.Equal(["AKIA-C"], plan.Capped.Select(k => k.AccessKeyId));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool IsUnused_NeverForAKeyActiveWithinMaxAge(KeyUsage key) =>
        !(UnusedKeyPolicy.IsUnused(key, Now, Settings) && Now - key.LastActivity <= Settings.MaxKeyAge);

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool IsUnused_NeverForANeverUsedKeyInsideTheGrace(KeyUsage key, PositiveInt maxAgeDays)
    {
        var settings = Settings with { MaxKeyAgeDays = maxAgeDays.Get % 30 + 1 };
        return !(UnusedKeyPolicy.IsUnused(key, Now, settings) && key.LastUsed is null && Now - key.CreateDate < settings.NeverUsedGrace);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool Cap_NeverDeactivatesMoreThanTheCapAndLosesNoKey(KeyUsage[] keys, PositiveInt cap)
    {
        var max = cap.Get % 20 + 1;
        var distinct = keys.DistinctBy(k => k.AccessKeyId).ToArray();
        var plan = UnusedKeyPolicy.Cap(distinct, max);
        return plan.Deactivate.Count <= max &&
               plan.Deactivate.Count + plan.Capped.Count == distinct.Length &&
               plan.Deactivate.All(d => plan.Capped.All(c => d.LastActivity <= c.LastActivity));
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
