using Remediators.Bench.Harness;
using Remediators.Core.Aws;
using static Remediators.Bench.Scenarios.ApiCalls.SampleParameters;

namespace Remediators.Bench.Scenarios.ApiCalls;

/// <summary>Each key disabler sample gets its own user: with a key created long ago and never used, or the key a finding names.</summary>
internal sealed class KeyDisablerSamples : ISampleSeeds
{
    private const int StaleKeyAgeDays = 200;

    public string Folder => "unused-key-disabler";

    public string Function => "UnusedKeyDisabler";

    public async Task<SampleRun?> PrepareAsync(BenchAccount account, string sample, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, sample);
        var iam = account.Clients.Iam(BenchAccount.Region);
        switch (sample)
        {
            case "config-unused-credentials-noncompliant.json":
                var (userId, _) = await CreateUserWithKeyAsync(account, iam, StaleKeyAgeDays, cancellationToken);
                return Run(account.Sample(path, ("AIDAEXAMPLEUSERID0001", userId)), "Remediated");
            case "scheduled-scan.json":
                await CreateUserWithKeyAsync(account, iam, StaleKeyAgeDays, cancellationToken);
                return Run(account.Sample(path), "Remediated");
            case "guardduty-compromised-long-term-key.json":
                var (_, keyId) = await CreateUserWithKeyAsync(account, iam, 0, cancellationToken);
                return Run(account.Sample(path, ("AKIAEXAMPLEKEYID0001", keyId)), "Remediated");
            case "guardduty-temporary-key.json":
                // A role session's key cannot be deactivated: reported, nothing to seed.
                return Run(account.Sample(path), "AlreadyCompliant");
            default:
                return null;
        }
    }

    private SampleRun Run(string eventJson, string expectedStatus) =>
        new(new BenchInvocation(Function, eventJson, Enforce(("ExemptUserNames", BenchAccount.SigningUser))), expectedStatus);

    private static async Task<(string UserId, string KeyId)> CreateUserWithKeyAsync(BenchAccount account, IamClient iam, int keyAgeDays, CancellationToken cancellationToken)
    {
        await account.SetMotoClockAsync(keyAgeDays, cancellationToken);
        try
        {
            var name = Unique("bench-user");
            var user = await iam.CallAsync("CreateUser", [new("UserName", name)], cancellationToken);
            var key = await iam.CallAsync("CreateAccessKey", [new("UserName", name)], cancellationToken);
            return (user.Child("User")!.Text("UserId")!, key.Child("AccessKey")!.Text("AccessKeyId")!);
        }
        finally
        {
            await account.SetMotoClockAsync(0, cancellationToken);
        }
    }
}
