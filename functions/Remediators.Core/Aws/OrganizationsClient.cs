using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>Stands in for AWSSDK.Organizations (not in this registry): the verbs the hub calls, to tell members from strangers and to list them.</summary>
public sealed class OrganizationsClient(string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint = null)
    : JsonProtocolClient(AwsService.Organizations, "AWSOrganizationsV20161128", region, credentials, http, retry, endpoint)
{
    /// <exception cref="AwsServiceException">ErrorCode AccountNotFoundException when the account is not in the caller's organization.</exception>
    public async Task<OrganizationAccount> DescribeAccountAsync(string accountId, CancellationToken cancellationToken) =>
        (await CallAsync("DescribeAccount", new DescribeAccountRequest(accountId),
            AwsJsonContext.Default.DescribeAccountRequest, AwsJsonContext.Default.DescribeAccountResponse, cancellationToken)).Account
        ?? throw new AwsServiceException(Service.SigningName, "DescribeAccount", 200, "EmptyResponse", "no Account in the response");

    /// <summary>One page of the organization's accounts (any status); pass the previous page's NextToken for the next.</summary>
    public Task<ListAccountsResponse> ListAccountsAsync(string? nextToken, CancellationToken cancellationToken) =>
        CallAsync("ListAccounts", new ListAccountsRequest(nextToken),
            AwsJsonContext.Default.ListAccountsRequest, AwsJsonContext.Default.ListAccountsResponse, cancellationToken);
}

public sealed record ListAccountsRequest(string? NextToken);

public sealed record ListAccountsResponse(IReadOnlyList<OrganizationAccount>? Accounts, string? NextToken);

public sealed record DescribeAccountRequest(string AccountId);

public sealed record DescribeAccountResponse(OrganizationAccount? Account);

/// <param name="Arn"><c>arn:aws:organizations::&lt;management account&gt;:account/&lt;organization id&gt;/&lt;account id&gt;</c>.</param>
/// <param name="Status">ACTIVE, SUSPENDED or PENDING_CLOSURE.</param>
public sealed record OrganizationAccount(string Id, string Arn, string? Status);
