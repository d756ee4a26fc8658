using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Remediators.Core.Aws;
using Remediators.Core.Remediation;
using UnusedKeyDisabler;

namespace Remediators.Tests.UnusedKeyDisabler;

/// <summary>
/// A key whose deactivation is denied (an SCP-protected break-glass user) fails alone: the others go on, the cap counts
/// keys deactivated, and a key that keeps failing cannot starve the rest.
/// </summary>
public sealed class KeyFailureTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Key i was last active 100 + i days ago, so key 0 is the oldest.</summary>
    internal static KeyUsage Key(int i) => new($"user{i:D2}", $"AKIA{i:D16}", true, Now.AddDays(-400), Now.AddDays(-100 - (20 - i)));

    private static async Task<(IReadOnlyList<ResourceResult> Results, Keys Gateway)> ScanAsync(int keyCount, ISet<int> denied, int cap, bool dryRun = false)
    {
        var gateway = new Keys([.. Enumerable.Range(0, keyCount).Select(Key)], denied);
        var settings = new UnusedKeyDisablerSettings { Mode = RemediationMode.Enforce, MaxKeysPerRun = cap };
        return (await new KeyDisabling(settings, gateway, Now, dryRun).ScanAsync(CancellationToken.None), gateway);
    }

    private static IEnumerable<int> With(IEnumerable<ResourceResult> results, OutcomeStatus status) =>
        results.Where(r => r.Status == status).Select(r => int.Parse(r.ResourceId[4..], System.Globalization.CultureInfo.InvariantCulture)).Order();

    [Fact]
    public async Task Scan_WhenTheOldestKeyIsDenied_FailsThatKeyAndStillDeactivatesTheCap()
    {
        var (results, gateway) = await ScanAsync(5, new HashSet<int> { 0 }, cap: 2);

        var failed = results.Single(r => r.Status == OutcomeStatus.Failed);
        Assert.Equal(("AKIA0000000000000000", "AccessDenied"), (failed.ResourceId, failed.Error));
        Assert.Empty(failed.Changes);
        Assert.Equal([1, 2], With(results, OutcomeStatus.Remediated));
        Assert.Equal([3, 4], With(results, OutcomeStatus.Capped));
        Assert.Equal([1, 2], gateway.Inactive.Order());
    }

    [Fact]
    public async Task Scan_WhenEveryKeyIsDenied_StopsTryingAfterAsManyFailuresAsTheCap()
    {
        var (results, gateway) = await ScanAsync(6, new HashSet<int>(Enumerable.Range(0, 6)), cap: 2);

        Assert.Equal([0, 1], With(results, OutcomeStatus.Failed));
        Assert.Equal([2, 3, 4, 5], With(results, OutcomeStatus.Capped));
        Assert.Equal(2, gateway.Attempts);
    }

    [Fact]
    public async Task Scan_WhenTheVerifyingReadFails_KeepsTheDeactivationOnRecordAsFailed()
    {
        var gateway = new Keys([Key(0)], new HashSet<int>()) { StatusesFail = true };

        var results = await new KeyDisabling(new UnusedKeyDisablerSettings { Mode = RemediationMode.Enforce }, gateway, Now, dryRun: false).ScanAsync(CancellationToken.None);

        var failed = Assert.Single(results);
        Assert.Equal((OutcomeStatus.Failed, "Throttling"), (failed.Status, failed.Error));
        Assert.Equal(KeyDisabling.DeactivateAction, Assert.Single(failed.Changes).Action);
    }

    [Fact]
    public async Task Scan_InDryRun_CallsNoDeactivation()
    {
        var (results, gateway) = await ScanAsync(3, new HashSet<int>(), cap: 2, dryRun: true);

        Assert.Equal([0, 1], With(results, OutcomeStatus.DryRun));
        Assert.Equal(0, gateway.Attempts);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool Scan_FailuresNeverStarveTheOthersAndTheCapHolds(Case c)
    {
        var (results, gateway) = ScanAsync(c.KeyCount, c.Denied, c.Cap).GetAwaiter().GetResult();
        var deactivated = With(results, OutcomeStatus.Remediated).ToList();
        var failed = With(results, OutcomeStatus.Failed).ToList();
        var capped = With(results, OutcomeStatus.Capped).ToList();
        var allowed = Enumerable.Range(0, c.KeyCount).Count(i => !c.Denied.Contains(i));
        return deactivated.Count <= c.Cap && failed.Count <= c.Cap
            && deactivated.Concat(failed).Concat(capped).Order().SequenceEqual(Enumerable.Range(0, c.KeyCount))
            && deactivated.SequenceEqual(gateway.Inactive.Order())
            && failed.All(c.Denied.Contains) && deactivated.All(i => !c.Denied.Contains(i))
            // Fewer denied keys than the cap never stop the allowed ones from reaching it.
            && (c.Denied.Count >= c.Cap || deactivated.Count == Math.Min(c.Cap, allowed))
            // Oldest first: a capped key that could have been deactivated is never older than one that was.
            && capped.Where(i => !c.Denied.Contains(i)).All(i => deactivated.All(d => d < i));
    }

    public sealed record Case(int KeyCount, HashSet<int> Denied, int Cap);

    public static class Arbitraries
    {
        public static Arbitrary<Case> Cases() =>
            (from count in Gen.Choose(0, 12)
             from cap in Gen.Choose(1, 5)
             from denied in Gen.ArrayOf(Gen.Elements(true, false, false), count)
             select new Case(count, [.. Enumerable.Range(0, count).Where(i => denied[i])], cap)).ToArbitrary();
    }

    /// <summary>One user per key, none exempt; deactivating a denied key answers AccessDenied as an SCP would.</summary>
    internal sealed class Keys(IReadOnlyList<KeyUsage> keys, ISet<int> denied) : IAccessKeyGateway
    {
        private readonly HashSet<string> _inactive = [];

        public int Attempts { get; private set; }
        public int ReportReads { get; private set; }
        public bool StatusesFail { get; init; }
        public IEnumerable<int> Inactive => _inactive.Select(id => int.Parse(id[4..], System.Globalization.CultureInfo.InvariantCulture));

        public Task<IReadOnlyList<ReportedUser>> ReadCredentialReportAsync(CancellationToken cancellationToken)
        {
            ReportReads++;
            return Task.FromResult<IReadOnlyList<ReportedUser>>([.. keys.Select(k => new ReportedUser(k.UserName, $"arn:aws:iam::123456789012:user/{k.UserName}",
                [new ReportedKey(1, k.CreateDate, k.LastUsed)]))]);
        }

        public Task<IReadOnlyList<KeyUsage>> ListKeysAsync(string userName, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<KeyUsage>>([.. keys.Where(k => k.UserName == userName)]);

        public Task DeactivateKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken)
        {
            Attempts++;
            if (denied.Contains(int.Parse(accessKeyId[4..], System.Globalization.CultureInfo.InvariantCulture)))
                throw new AwsServiceException("iam", "UpdateAccessKey", 403, "AccessDenied", "explicit deny in a service control policy");
            _inactive.Add(accessKeyId);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyDictionary<string, string>> KeyStatusesAsync(string userName, CancellationToken cancellationToken) => StatusesFail
            ? throw new AwsServiceException("iam", "ListAccessKeys", 400, "Throttling", "Rate exceeded")
            : Task.FromResult<IReadOnlyDictionary<string, string>>(keys.Where(k => k.UserName == userName)
                .ToDictionary(k => k.AccessKeyId, k => _inactive.Contains(k.AccessKeyId) ? "Inactive" : "Active"));

        public Task<IamUser?> FindUserByIdAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IamUser?> GetUserAsync(string userName, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<string?> FindKeyOwnerAsync(string accessKeyId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyDictionary<string, string>> ListUserTagsAsync(string userName, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
