using System.Collections.Concurrent;
using Remediators.Core.Aws;

namespace Remediators.Core.Targets;

/// <summary>Whether an account is an active member of the organization; asked once per account per container.</summary>
public interface IOrganizationMembership
{
    string OrganizationId { get; }

    /// <exception cref="AwsServiceException">Any answer but the account itself or AccountNotFoundException: the invocation fails and is retried.</exception>
    Task<bool> IsMemberAsync(string account, CancellationToken cancellationToken);
}

/// <summary>Organizations DescribeAccount, with every answer kept: a member stays one, and so does a stranger (AccountNotFoundException).</summary>
public sealed class OrganizationMembership(OrganizationsClient organizations, string organizationId) : IOrganizationMembership
{
    private readonly ConcurrentDictionary<string, bool> _answers = new(StringComparer.Ordinal);

    public string OrganizationId => organizationId;

    public async Task<bool> IsMemberAsync(string account, CancellationToken cancellationToken)
    {
        if (_answers.TryGetValue(account, out var known))
            return known;
        bool member;
        try
        {
            member = IsActiveMember(await organizations.DescribeAccountAsync(account, cancellationToken), organizationId);
        }
        catch (AwsServiceException error) when (error.ErrorCode == "AccountNotFoundException")
        {
            member = false;
        }
        return _answers.GetOrAdd(account, member);
    }

    /// <summary>The account's ARN (<c>arn:…:account/&lt;organization id&gt;/&lt;account id&gt;</c>) names this organization, and it is ACTIVE.</summary>
    public static bool IsActiveMember(OrganizationAccount account, string organizationId) =>
        account.Status == "ACTIVE" &&
        account.Arn.Split(':') is [ "arn", _, "organizations", "", _, var resource ] &&
        resource.Split('/') is [ "account", var organization, var id ] && organization == organizationId && id == account.Id;
}
