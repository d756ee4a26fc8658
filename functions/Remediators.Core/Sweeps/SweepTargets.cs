using Remediators.Core.Targets;

namespace Remediators.Core.Sweeps;

/// <summary>The targets one sweep covers: every allowed account (the hub's own first) × every allowed region, each once.</summary>
public static class SweepTargets
{
    /// <param name="home">The hub function's own account and region.</param>
    /// <param name="organizationAccounts">In organization mode, the organization's active accounts (ListAccounts); ignored otherwise.</param>
    /// <param name="kind"><see cref="TargetKind.AccountOnly"/> (IAM): one target per account, in the hub's region.</param>
    public static IReadOnlyList<Target> For(Target home, TargetSettings settings, IReadOnlyCollection<string> organizationAccounts, TargetKind kind)
    {
        var accounts = new[] { home.Account }
            .Concat((settings.WholeOrganization ? organizationAccounts : settings.Accounts).Order(StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal);
        var regions = kind == TargetKind.AccountOnly
            ? [home.Region]
            : new[] { home.Region }.Concat(settings.Regions.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        return [.. accounts.SelectMany(account => regions.Select(region => new Target(account, region)))];
    }
}
