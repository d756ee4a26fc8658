using EncryptionEnforcer;
using Remediators.Core.Remediation;

namespace Remediators.Tests.EncryptionEnforcer;

/// <summary>Each EBS change tells the person on call how to put the previous setting back.</summary>
public sealed class EbsRemediationTests
{
    private static readonly KmsKeyArn Key = KmsKeyArn.Parse("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")!;

    private static async Task<IReadOnlyList<Change>> ChangesAsync(bool encrypted, string? defaultKey)
    {
        var result = await new EbsRemediation(Key, new Ebs(encrypted, defaultKey), TimeProvider.System, dryRun: false)
            .RunAsync(new EncryptionRequest.EbsRegion("123456789012", "eu-west-1", "test"), CancellationToken.None);
        return result.Changes;
    }

    [Fact]
    public async Task Changes_WhenEbsEncryptionByDefaultIsEnabledAndTheKeySet_TellHowToDisableItAndSetThePreviousKey()
    {
        var changes = await ChangesAsync(encrypted: false, "alias/aws/ebs");

        Assert.Equal(
            [
                "Turn it off again only if you must, as this re-opens the finding: aws ec2 disable-ebs-encryption-by-default --region eu-west-1",
                "Set the previous default key again: aws ec2 modify-ebs-default-kms-key-id --kms-key-id alias/aws/ebs --region eu-west-1",
            ],
            changes.Select(c => c.HowToUndo));
    }

    [Fact]
    public async Task Changes_WhenThePreviousEbsKeyWasNotRead_TellHowToResetToTheAwsManagedKey()
    {
        var change = Assert.Single(await ChangesAsync(encrypted: true, null));

        Assert.Equal(
            "The previous default key was not read; to go back to the AWS managed key: aws ec2 reset-ebs-default-kms-key-id --region eu-west-1",
            change.HowToUndo);
    }

    private sealed class Ebs(bool encrypted, string? defaultKey) : IEbsGateway
    {
        public Task<bool> IsEncryptedByDefaultAsync(CancellationToken cancellationToken) => Task.FromResult(encrypted);

        public Task<string?> GetDefaultKmsKeyIdAsync(CancellationToken cancellationToken) => Task.FromResult(defaultKey);

        public Task EnableEncryptionByDefaultAsync(CancellationToken cancellationToken)
        {
            encrypted = true;
            return Task.CompletedTask;
        }

        public Task<string?> SetDefaultKmsKeyAsync(string keyArn, CancellationToken cancellationToken) => Task.FromResult<string?>(keyArn);
    }
}
