using Remediators.Core.Aws;

namespace UnusedKeyDisabler;

/// <summary>The IAM verbs the disabler calls, translated into our records and meanings.</summary>
public interface IAccessKeyGateway
{
    /// <summary>The account's credential report: generated when none is recent, polled with backoff until complete.</summary>
    Task<IReadOnlyList<ReportedUser>> ReadCredentialReportAsync(CancellationToken cancellationToken);

    Task<IamUser?> FindUserByIdAsync(string userId, CancellationToken cancellationToken);

    Task<IamUser?> GetUserAsync(string userName, CancellationToken cancellationToken);

    /// <summary>The name of the user owning <paramref name="accessKeyId"/>, or null when the key does not exist.</summary>
    Task<string?> FindKeyOwnerAsync(string accessKeyId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> ListUserTagsAsync(string userName, CancellationToken cancellationToken);

    /// <summary>The user's keys; each active key carries its live last use (inactive ones need no confirmation).</summary>
    Task<IReadOnlyList<KeyUsage>> ListKeysAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Status (Active or Inactive) by key id, without last-use lookups: used to verify a deactivation.</summary>
    Task<IReadOnlyDictionary<string, string>> KeyStatusesAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Sets the key Inactive (never deletes it); a key already gone counts as done.</summary>
    Task DeactivateKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken);
}

public sealed class AccessKeyGateway(IamClient iam, TimeProvider clock) : IAccessKeyGateway
{
    public static readonly string[] IamActions =
    [
        "iam:GenerateCredentialReport", "iam:GetCredentialReport", "iam:ListUsers", "iam:GetUser", "iam:ListUserTags",
        "iam:ListAccessKeys", "iam:GetAccessKeyLastUsed", "iam:UpdateAccessKey",
    ];

    private const int MaxReportPolls = 10;

    public async Task<IReadOnlyList<ReportedUser>> ReadCredentialReportAsync(CancellationToken cancellationToken)
    {
        // GenerateCredentialReport answers COMPLETE at once while a report under 4 hours old exists, so a fresh one is reused.
        for (var poll = 0; ; poll++)
        {
            if (await iam.GenerateCredentialReportAsync(cancellationToken) == "COMPLETE")
            {
                try
                {
                    return CredentialReport.Parse((await iam.GetCredentialReportAsync(cancellationToken)).Csv);
                }
                catch (AwsServiceException error) when (error.ErrorCode is "ReportInProgress" or "ReportNotPresent" or "ReportExpired" && poll < MaxReportPolls)
                {
                    // Expired or replaced between the two calls: generate again.
                }
            }
            if (poll >= MaxReportPolls)
                throw new TimeoutException($"the IAM credential report was not complete after {MaxReportPolls} polls");
            await Task.Delay(ReportPollDelay(poll), clock, cancellationToken);
        }
    }

    /// <summary>0.5 s, doubling, at most 8 s: about a minute in all before giving up.</summary>
    public static TimeSpan ReportPollDelay(int poll) => TimeSpan.FromMilliseconds(Math.Min(8000, 500 * Math.Pow(2, poll)));

    public Task<IamUser?> FindUserByIdAsync(string userId, CancellationToken cancellationToken) =>
        iam.FindUserByIdAsync(userId, cancellationToken);

    public Task<IamUser?> GetUserAsync(string userName, CancellationToken cancellationToken) =>
        iam.GetUserAsync(userName, cancellationToken);

    public async Task<string?> FindKeyOwnerAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        try
        {
            return (await iam.GetAccessKeyLastUsedAsync(accessKeyId, cancellationToken)).UserName;
        }
        catch (AwsServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            return null;
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> ListUserTagsAsync(string userName, CancellationToken cancellationToken)
    {
        try
        {
            return await iam.ListUserTagsAsync(userName, cancellationToken);
        }
        catch (AwsServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            // Deleted since the report was made: it has no keys left to decide about.
            return new Dictionary<string, string>();
        }
    }

    public async Task<IReadOnlyList<KeyUsage>> ListKeysAsync(string userName, CancellationToken cancellationToken)
    {
        var keys = new List<KeyUsage>();
        foreach (var key in await ListAccessKeysOrNoneAsync(userName, cancellationToken))
        {
            if (key.Status != "Active")
            {
                keys.Add(new KeyUsage(userName, key.AccessKeyId, false, key.CreateDate, null));
                continue;
            }
            try
            {
                var lastUsed = await iam.GetAccessKeyLastUsedAsync(key.AccessKeyId, cancellationToken);
                keys.Add(new KeyUsage(userName, key.AccessKeyId, true, key.CreateDate, lastUsed.LastUsedDate));
            }
            catch (AwsServiceException error) when (error.ErrorCode == "NoSuchEntity")
            {
                // Deleted between the two calls: nothing to deactivate.
            }
        }
        return keys;
    }

    public async Task<IReadOnlyDictionary<string, string>> KeyStatusesAsync(string userName, CancellationToken cancellationToken) =>
        (await ListAccessKeysOrNoneAsync(userName, cancellationToken)).ToDictionary(k => k.AccessKeyId, k => k.Status);

    public async Task DeactivateKeyAsync(string userName, string accessKeyId, CancellationToken cancellationToken)
    {
        try
        {
            await iam.UpdateAccessKeyAsync(userName, accessKeyId, "Inactive", cancellationToken);
        }
        catch (AwsServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            // A key deleted since it was read can no longer be used: nothing left to deactivate.
        }
    }

    /// <summary>A user in a credential report (up to 4 hours old) may have been deleted since: then it has no keys.</summary>
    private async Task<IReadOnlyList<IamAccessKey>> ListAccessKeysOrNoneAsync(string userName, CancellationToken cancellationToken)
    {
        try
        {
            return await iam.ListAccessKeysAsync(userName, cancellationToken);
        }
        catch (AwsServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            return [];
        }
    }
}
