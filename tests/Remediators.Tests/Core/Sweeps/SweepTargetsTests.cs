using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Remediators.Core.Sweeps;
using Remediators.Core.Targets;

namespace Remediators.Tests.Core.Sweeps;

/// <summary>Which (account, region) pairs one sweep dispatches: every allowed pair once, none other; IAM once per account.</summary>
public sealed class SweepTargetsTests
{
    private const string Hub = "123456789012";
    private static readonly Target Home = new(Hub, "us-east-1");
    private static readonly string[] AccountPool = [Hub, "111111111111", "222222222222", "333333333333", "444444444444"];
    private static readonly string[] RegionPool = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"];

    [Fact]
    public void ListedAccounts_AreSweptInTheHubRegionAndEachListedRegion_HubFirst()
    {
        var settings = new TargetSettings
        {
            Accounts = new HashSet<string> { "222222222222", "111111111111" },
            Regions = new HashSet<string> { "eu-west-1" },
        };

        var targets = SweepTargets.For(Home, settings, [], TargetKind.Regional);

        Assert.Equal(
        [
            new Target(Hub, "us-east-1"), new Target(Hub, "eu-west-1"),
            new Target("111111111111", "us-east-1"), new Target("111111111111", "eu-west-1"),
            new Target("222222222222", "us-east-1"), new Target("222222222222", "eu-west-1"),
        ], targets);
    }

    [Fact]
    public void AccountOnlySweep_IsOneTargetPerAccount_InTheHubRegion()
    {
        var settings = new TargetSettings { Accounts = new HashSet<string> { "111111111111" }, Regions = new HashSet<string> { "eu-west-1" } };

        var targets = SweepTargets.For(Home, settings, [], TargetKind.AccountOnly);

        Assert.Equal([new Target(Hub, "us-east-1"), new Target("111111111111", "us-east-1")], targets);
    }

    [Fact]
    public void OrganizationMode_SweepsTheListedActiveAccounts_NotTheSettingsList()
    {
        var settings = new TargetSettings { WholeOrganization = true, OrganizationId = "o-a1b2c3d4e5" };

        var targets = SweepTargets.For(Home, settings, ["333333333333", Hub], TargetKind.AccountOnly);

        Assert.Equal([new Target(Hub, "us-east-1"), new Target("333333333333", "us-east-1")], targets);
    }

    [Fact]
    public void ListedMode_IgnoresOrganizationAccounts()
    {
        var settings = new TargetSettings { Accounts = new HashSet<string> { "111111111111" } };

        var targets = SweepTargets.For(Home, settings, ["333333333333"], TargetKind.Regional);

        Assert.DoesNotContain(targets, t => t.Account == "333333333333");
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public void EveryAllowedPair_IsSweptExactlyOnce_AndNoOther(Allowed allowed, bool accountOnly)
    {
        var kind = accountOnly ? TargetKind.AccountOnly : TargetKind.Regional;
        var settings = new TargetSettings { Accounts = allowed.Accounts, Regions = allowed.Regions };
        var accounts = new HashSet<string>(allowed.Accounts) { Hub };
        var regions = accountOnly ? new HashSet<string> { Home.Region } : new HashSet<string>(allowed.Regions) { Home.Region };

        var targets = SweepTargets.For(Home, settings, [], kind);

        Assert.Equal(targets.Count, targets.Distinct().Count());
        Assert.Equal(accounts.Count * regions.Count, targets.Count);
        Assert.All(targets, t => Assert.True(accounts.Contains(t.Account) && regions.Contains(t.Region), $"{t} is not allowed"));
    }

    public sealed record Allowed(HashSet<string> Accounts, HashSet<string> Regions)
    {
        public override string ToString() => $"accounts [{string.Join(",", Accounts)}] regions [{string.Join(",", Regions)}]";
    }

    public static class Arbitraries
    {
        public static Arbitrary<Allowed> Allowed() =>
            (from accounts in Gen.SubListOf(AccountPool)
             from regions in Gen.SubListOf(RegionPool)
             select new Allowed(accounts.ToHashSet(), regions.ToHashSet())).ToArbitrary();
    }
}
