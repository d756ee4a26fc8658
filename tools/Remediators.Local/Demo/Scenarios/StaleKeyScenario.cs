using Amazon.Runtime;
using Remediators.Core.Aws;

namespace Remediators.Local.Demo.Scenarios;

/// <summary>A deploy user with a key created 200 days ago and never used, and a fresh key in use: only the stale one goes.</summary>
internal sealed class StaleKeyScenario : IDemoScenario
{
    private const string UserName = "deploy-bot";
    private const int StaleKeyAgeDays = 200;

    private string _staleKey = "";
    private string _freshKey = "";

    public string Description => $"IAM user {UserName}: a key unused for {StaleKeyAgeDays} days and a fresh one in use";

    // The demo's own signing identity is exempt, as a break-glass or automation user would be in production.
    public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string> { ["ExemptUserNames"] = DemoAccount.SigningUser };

    public IReadOnlyList<ExpectedItem> ExpectedChanges => [new(Resource(UserName), KeyItem(_staleKey, StaleKeyAgeDays), "Inactive")];

    public async Task SeedAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var iam = account.Clients.Iam(DemoAccount.Region);
        await account.SetMotoClockAsync(StaleKeyAgeDays, cancellationToken);
        await iam.CallAsync("CreateUser", [new("UserName", UserName)], cancellationToken);
        _staleKey = (await CreateKeyAsync(iam, cancellationToken)).GetCredentials().AccessKey;
        await account.SetMotoClockAsync(0, cancellationToken);
        var fresh = await CreateKeyAsync(iam, cancellationToken);
        _freshKey = fresh.GetCredentials().AccessKey;
        await UseAsync(fresh, account, cancellationToken);
    }

    public IReadOnlyList<(string Label, string Json)> Events(DemoAccount account) =>
        [("daily scheduled key scan", account.SampleEvent("unused-key-disabler/scheduled-scan.json"))];

    public async Task<IReadOnlyList<ResourceState>> SnapshotAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        var iam = account.Clients.Iam(DemoAccount.Region);
        var states = new List<ResourceState>();
        foreach (var user in (await iam.ListUsersAsync(cancellationToken)).OrderBy(u => u.UserName, StringComparer.Ordinal))
        {
            var keys = await iam.ListAccessKeysAsync(user.UserName, cancellationToken);
            states.Add(new ResourceState(Resource(user.UserName),
                keys.ToDictionary(k => KeyItem(k.AccessKeyId, (int)(DateTimeOffset.UtcNow - k.CreateDate).TotalDays), k => k.Status)));
        }
        return states;
    }

    private static string Resource(string userName) => userName switch
    {
        DemoAccount.SigningUser => $"IAM user {userName} (the demo's own identity, exempt)",
        _ => $"IAM user {userName}",
    };

    private string KeyItem(string keyId, int ageDays) =>
        $"key {keyId} ({ageDays} d old{(keyId == _staleKey ? ", never used" : keyId == _freshKey ? ", used today" : "")})";

    private static async Task<BasicAWSCredentials> CreateKeyAsync(IamClient iam, CancellationToken cancellationToken)
    {
        var key = (await iam.CallAsync("CreateAccessKey", [new("UserName", UserName)], cancellationToken)).Child("AccessKey")!;
        return new BasicAWSCredentials(key.Text("AccessKeyId"), key.Text("SecretAccessKey"));
    }

    /// <summary>Signs one call with the key: moto records it as the key's last use even though the user may not call it.</summary>
    private static async Task UseAsync(BasicAWSCredentials key, DemoAccount account, CancellationToken cancellationToken)
    {
        var asUser = new IamClient(DemoAccount.Region, key, new HttpClient(), RetryBackoff.Default, account.Endpoint);
        try
        {
            await asUser.ListUsersAsync(cancellationToken);
        }
        catch (AwsServiceException error) when (error.StatusCode == 403)
        {
            // Refused, but still a use of the key.
        }
    }
}
