using System.Diagnostics;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.EncryptionEnforcer;

/// <summary>
/// The enforcer's "To undo" commands, run as an operator would: the command its record prints, through bash and the AWS
/// CLI against moto, puts back exactly the bucket's previous policy and default encryption.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class PrintedUndoTests(MotoServer moto)
{
    private const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string SampleBucket = "remediators-example-bucket";

    [Fact]
    public async Task PolicyUndo_RunAsPrinted_PutsBackThePreviousPolicyByteForByte_QuotesIncluded()
    {
        var bucket = await moto.CreateBucketAsync($"undo-policy-{Guid.NewGuid():N}"[..30]);
        var previous = """{"Version": "2012-10-17", "Statement": [{"Sid": "O'Brien's reads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::BUCKET/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "ops $HOME `id` \"x\""}}}]}""".Replace("BUCKET", bucket, StringComparison.Ordinal);
        await moto.PutPolicyAsync(bucket, previous);
        var answer = await moto.InvokeAsync("EncryptionEnforcer", Event("put-bucket-policy.json", bucket), new Dictionary<string, string> { ["Mode"] = "enforce" });
        Assert.Equal("Remediated", answer.Status);
        Assert.NotEqual(previous, await moto.PolicyAsync(bucket));

        await RunAsPrintedAsync(HowToUndo(answer, "PutBucketPolicy"));

        Assert.Equal(previous, await moto.PolicyAsync(bucket));
    }

    [Fact]
    public async Task EncryptionUndo_RunAsPrinted_PutsBackThePreviousDefaultEncryption()
    {
        var bucket = await moto.CreateBucketAsync($"undo-sse-{Guid.NewGuid():N}"[..30]);
        await moto.PutEncryptionAsync(bucket, "AES256");
        var answer = await moto.InvokeAsync("EncryptionEnforcer", Event("put-bucket-encryption-aes256.json", bucket),
            new Dictionary<string, string> { ["Mode"] = "enforce", ["KmsKeyArn"] = KeyArn });
        Assert.Equal("aws:kms", (await moto.EncryptionAsync(bucket))!.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm.Value);

        await RunAsPrintedAsync(HowToUndo(answer, "PutBucketEncryption"));

        var restored = (await moto.EncryptionAsync(bucket))!;
        Assert.Equal(("AES256", null), (restored.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm.Value, restored.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId));
    }

    /// <summary>The command part of a "To undo" text (it ends the text), run by bash with the CLI pointed at moto as the operator's profile.</summary>
    private async Task RunAsPrintedAsync(string howToUndo)
    {
        var command = howToUndo[howToUndo.IndexOf(": aws ", StringComparison.Ordinal)..][2..];
        var start = new ProcessStartInfo("bash", ["-c", $"{command} --endpoint-url {moto.Endpoint}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                ["AWS_ACCESS_KEY_ID"] = moto.Credentials.GetCredentials().AccessKey, ["AWS_SECRET_ACCESS_KEY"] = moto.Credentials.GetCredentials().SecretKey,
                ["AWS_DEFAULT_REGION"] = MotoServer.Region, ["AWS_CONFIG_FILE"] = "/dev/null", ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            },
        };
        using var cli = Process.Start(start)!;
        var errors = cli.StandardError.ReadToEndAsync();
        await cli.StandardOutput.ReadToEndAsync();
        await cli.WaitForExitAsync();
        Assert.True(cli.ExitCode == 0, $"`{command}` failed: {await errors}");
    }

    private static string HowToUndo(FunctionAnswer answer, string action) =>
        answer.Resources.SelectMany(r => r.GetProperty("changes").EnumerateArray())
            .Single(c => c.GetProperty("action").GetString() == action).GetProperty("howToUndo").GetString()!;

    private static string Event(string name, string bucket) => LocalInvoke.SampleEvent(Path.Combine("encryption-enforcer", name), (SampleBucket, bucket));
}
