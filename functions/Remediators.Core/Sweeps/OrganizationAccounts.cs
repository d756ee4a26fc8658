using Remediators.Core.Aws;

namespace Remediators.Core.Sweeps;

/// <summary>The organization's accounts a sweep covers in organization mode.</summary>
public interface IOrganizationAccounts
{
    Task<IReadOnlyList<string>> ListActiveAsync(CancellationToken cancellationToken);
}

/// <summary>Organizations ListAccounts, every page, ACTIVE accounts only (suspended or closing ones have nothing to remediate).</summary>
public sealed class OrganizationAccounts(OrganizationsClient organizations) : IOrganizationAccounts
{
    public async Task<IReadOnlyList<string>> ListActiveAsync(CancellationToken cancellationToken)
    {
        var active = new List<string>();
        string? next = null;
        do
        {
            var page = await organizations.ListAccountsAsync(next, cancellationToken);
            active.AddRange((page.Accounts ?? []).Where(a => a.Status == "ACTIVE").Select(a => a.Id));
            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));
        return active;
    }
}
