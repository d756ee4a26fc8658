using EncryptionEnforcer;
using Remediators.Core.Remediation;

namespace Remediators.Tests.EncryptionEnforcer;

public sealed class EncryptionEnforcerSettingsTests
{
    private const string Key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static EnvironmentSettings Env(params (string Name, string Value)[] values) =>
        new(name => values.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void FromEnvironment_WithNothingSet_IsDryRunSseS3AndTlsOnly()
    {
        var settings = EncryptionEnforcerSettings.FromEnvironment(Env());

        Assert.Equal(RemediationMode.DryRun, settings.Mode);
        Assert.Equal(RequiredEncryption.SseS3, settings.S3Encryption);
        Assert.True(settings.TlsOnlyPolicy);
        Assert.Null(settings.EbsDefaultKmsKey);
        Assert.Contains("encrypted-volumes", settings.ConfigRuleNames);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("auto")]
    [InlineData("aws:kms")]
    public void FromEnvironment_WithAKey_RequiresSseKmsWithIt(string? algorithm)
    {
        var settings = EncryptionEnforcerSettings.FromEnvironment(algorithm is null
            ? Env((EncryptionEnforcerSettings.KmsKeyArnVariable, Key))
            : Env((EncryptionEnforcerSettings.KmsKeyArnVariable, Key), (EncryptionEnforcerSettings.S3EncryptionAlgorithmVariable, algorithm)));

        Assert.Equal(("aws:kms", Key), (settings.S3Encryption.Algorithm, settings.S3Encryption.KmsKey?.Arn));
    }

    [Theory]
    [InlineData(EncryptionEnforcerSettings.S3EncryptionAlgorithmVariable, "aws:kms", null)]
    [InlineData(EncryptionEnforcerSettings.S3EncryptionAlgorithmVariable, "AES256", Key)]
    [InlineData(EncryptionEnforcerSettings.S3EncryptionAlgorithmVariable, "aws:kms:dsse", null)]
    [InlineData(EncryptionEnforcerSettings.KmsKeyArnVariable, "alias/data", null)]
    [InlineData(EncryptionEnforcerSettings.EbsDefaultKmsKeyArnVariable, "arn:aws:kms:us-east-1:123456789012:alias/ebs", null)]
    [InlineData(EncryptionEnforcerSettings.TlsOnlyPolicyVariable, "yes", null)]
    public void FromEnvironment_WithAnUnsafeOrContradictoryValue_FailsNamingTheVariable(string variable, string value, string? key)
    {
        (string, string)[] values = key is null || variable == EncryptionEnforcerSettings.KmsKeyArnVariable
            ? [(variable, value)]
            : [(variable, value), (EncryptionEnforcerSettings.KmsKeyArnVariable, key)];

        Assert.Equal(variable, Assert.Throws<SettingsException>(() => EncryptionEnforcerSettings.FromEnvironment(Env(values))).Variable);
    }
}
