using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>Stands in for AWSSDK.IdentityManagement (not in this registry): the IAM verbs the remediators call.</summary>
public sealed class IamClient(string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint = null)
    : QueryProtocolClient(AwsService.Iam, "2010-05-08", region, credentials, http, retry, endpoint)
{
    public async Task<IReadOnlyList<IamUser>> ListUsersAsync(CancellationToken cancellationToken)
    {
        var users = new List<IamUser>();
        string? marker = null;
        do
        {
            var result = await CallAsync("ListUsers", marker is null ? [] : [new("Marker", marker)], cancellationToken);
            users.AddRange(result.Members("Users").Select(u => new IamUser(
                u.Text("UserName")!, u.Text("UserId")!, u.Text("Arn")!, u.Text("Path") ?? "/", DateTimeOffset.Parse(u.Text("CreateDate")!))));
            marker = result.Text("IsTruncated") == "true" ? result.Text("Marker") : null;
        }
        while (marker is not null);
        return users;
    }

    /// <summary>
    /// The user with <paramref name="userId"/> (AIDA...), or null. IAM has no lookup by id, so this pages ListUsers
    /// at the largest page size and stops at the first match: ceil(users / 1000) calls at most.
    /// </summary>
    public async Task<IamUser?> FindUserByIdAsync(string userId, CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            List<KeyValuePair<string, string>> parameters = [new("MaxItems", "1000")];
            if (marker is not null)
                parameters.Add(new("Marker", marker));
            var result = await CallAsync("ListUsers", parameters, cancellationToken);
            if (result.Members("Users").Select(ToUser).FirstOrDefault(u => u.UserId == userId) is { } user)
                return user;
            marker = result.Text("IsTruncated") == "true" ? result.Text("Marker") : null;
        }
        while (marker is not null);
        return null;
    }

    /// <summary>The user named <paramref name="userName"/>, or null when it does not exist.</summary>
    public async Task<IamUser?> GetUserAsync(string userName, CancellationToken cancellationToken)
    {
        try
        {
            return ToUser((await CallAsync("GetUser", [new("UserName", userName)], cancellationToken)).Child("User")!);
        }
        catch (AwsServiceException error) when (error.ErrorCode == "NoSuchEntity")
        {
            return null;
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> ListUserTagsAsync(string userName, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        string? marker = null;
        do
        {
            List<KeyValuePair<string, string>> parameters = [new("UserName", userName)];
            if (marker is not null)
                parameters.Add(new("Marker", marker));
            var result = await CallAsync("ListUserTags", parameters, cancellationToken);
            foreach (var tag in result.Members("Tags"))
                tags[tag.Text("Key")!] = tag.Text("Value") ?? "";
            marker = result.Text("IsTruncated") == "true" ? result.Text("Marker") : null;
        }
        while (marker is not null);
        return tags;
    }

    public async Task<IReadOnlyList<IamAccessKey>> ListAccessKeysAsync(string userName, CancellationToken cancellationToken)
    {
        var result = await CallAsync("ListAccessKeys", [new("UserName", userName)], cancellationToken);
        return [.. result.Members("AccessKeyMetadata").Select(k => new IamAccessKey(
            k.Text("UserName") ?? userName, k.Text("AccessKeyId")!, k.Text("Status")!, DateTimeOffset.Parse(k.Text("CreateDate")!)))];
    }

    /// <summary>Who owns the key and when it was last used; <c>LastUsedDate</c> is null for a key never used.</summary>
    public async Task<IamAccessKeyLastUsed> GetAccessKeyLastUsedAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        var result = await CallAsync("GetAccessKeyLastUsed", [new("AccessKeyId", accessKeyId)], cancellationToken);
        var lastUsed = result.Child("AccessKeyLastUsed");
        var date = lastUsed?.Text("LastUsedDate");
        return new IamAccessKeyLastUsed(
            result.Text("UserName")!, string.IsNullOrEmpty(date) ? null : DateTimeOffset.Parse(date),
            lastUsed?.Text("ServiceName"), lastUsed?.Text("Region"));
    }

    /// <summary>Sets a key's status to Active or Inactive; setting the status it already has is a no-op in IAM.</summary>
    public Task UpdateAccessKeyAsync(string userName, string accessKeyId, string status, CancellationToken cancellationToken) =>
        CallAsync("UpdateAccessKey", [new("UserName", userName), new("AccessKeyId", accessKeyId), new("Status", status)], cancellationToken);

    /// <summary>Starts a credential report unless a recent one exists; returns STARTED, INPROGRESS or COMPLETE.</summary>
    public async Task<string> GenerateCredentialReportAsync(CancellationToken cancellationToken) =>
        (await CallAsync("GenerateCredentialReport", [], cancellationToken)).Text("State")!;

    /// <summary>The latest credential report (CSV); throws ReportInProgress, ReportNotPresent or ReportExpired otherwise.</summary>
    public async Task<IamCredentialReport> GetCredentialReportAsync(CancellationToken cancellationToken)
    {
        var result = await CallAsync("GetCredentialReport", [], cancellationToken);
        var generated = result.Text("GeneratedTime");
        return new IamCredentialReport(
            System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(result.Text("Content") ?? "")),
            string.IsNullOrEmpty(generated) ? null : DateTimeOffset.Parse(generated));
    }

    private static IamUser ToUser(System.Xml.Linq.XElement u) =>
        new(u.Text("UserName")!, u.Text("UserId")!, u.Text("Arn")!, u.Text("Path") ?? "/", DateTimeOffset.Parse(u.Text("CreateDate")!));
}

public sealed record IamUser(string UserName, string UserId, string Arn, string Path, DateTimeOffset CreateDate);

public sealed record IamAccessKey(string UserName, string AccessKeyId, string Status, DateTimeOffset CreateDate);

public sealed record IamAccessKeyLastUsed(string UserName, DateTimeOffset? LastUsedDate, string? ServiceName, string? Region);

public sealed record IamCredentialReport(string Csv, DateTimeOffset? GeneratedTime);
