using Amazon.Runtime;
using Remediators.Core.Aws;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>Seeds IAM users and keys in moto through the same thin IAM client production uses.</summary>
public static class IamSeed
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static IamClient Iam(this MotoServer moto) => moto.Clients.Iam(MotoServer.Region);

    /// <summary>Creates a user and returns its id (AIDA...).</summary>
    public static async Task<string> CreateUserAsync(this MotoServer moto, string userName, string path = "/", params (string Key, string Value)[] tags)
    {
        List<KeyValuePair<string, string>> parameters = [new("UserName", userName), new("Path", path)];
        for (var i = 0; i < tags.Length; i++)
        {
            parameters.Add(new($"Tags.member.{i + 1}.Key", tags[i].Key));
            parameters.Add(new($"Tags.member.{i + 1}.Value", tags[i].Value));
        }
        var result = await moto.Iam().CallAsync("CreateUser", parameters, CancellationToken.None);
        return result.Child("User")!.Text("UserId")!;
    }

    public static async Task<BasicAWSCredentials> CreateAccessKeyAsync(this MotoServer moto, string userName)
    {
        var key = (await moto.Iam().CallAsync("CreateAccessKey", [new("UserName", userName)], CancellationToken.None)).Child("AccessKey")!;
        return new BasicAWSCredentials(key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
    }

    /// <summary>Signs one request with the key, which moto records as the key's last use (the user needs no permission for that).</summary>
    public static async Task<DateTimeOffset> UseKeyAsync(this MotoServer moto, BasicAWSCredentials key)
    {
        var asUser = new IamClient(MotoServer.Region, key, Http, RetryBackoff.Default);
        try
        {
            await asUser.ListUsersAsync(CancellationToken.None);
        }
        catch (AwsServiceException error) when (error.StatusCode == 403)
        {
            // Refused, but still a use of the key.
        }
        return (await moto.Iam().GetAccessKeyLastUsedAsync(key.GetCredentials().AccessKey, CancellationToken.None)).LastUsedDate
            ?? throw new InvalidOperationException("moto recorded no last use; is signature checking on?");
    }

    public static async Task<Dictionary<string, string>> KeyStatusesAsync(this MotoServer moto, string userName) =>
        (await moto.Iam().ListAccessKeysAsync(userName, CancellationToken.None)).ToDictionary(k => k.AccessKeyId, k => k.Status);

    /// <summary>Deletes the user with its keys, so later full-account scans do not see it.</summary>
    public static async Task DeleteUserAsync(this MotoServer moto, string userName)
    {
        foreach (var key in await moto.Iam().ListAccessKeysAsync(userName, CancellationToken.None))
            await moto.Iam().CallAsync("DeleteAccessKey", [new("UserName", userName), new("AccessKeyId", key.AccessKeyId)], CancellationToken.None);
        await moto.Iam().CallAsync("DeleteUser", [new("UserName", userName)], CancellationToken.None);
    }
}
