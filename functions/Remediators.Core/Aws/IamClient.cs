using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>Stands in for AWSSDK.IdentityManagement (not in this registry): the IAM verbs the remediators call.</summary>
public sealed class IamClient(string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry)
    : QueryProtocolClient(AwsService.Iam, "2010-05-08", region, credentials, http, retry)
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
}

public sealed record IamUser(string UserName, string UserId, string Arn, string Path, DateTimeOffset CreateDate);
