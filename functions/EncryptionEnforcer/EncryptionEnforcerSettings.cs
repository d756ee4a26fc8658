using Remediators.Core.Remediation;

namespace EncryptionEnforcer;

public sealed record EncryptionEnforcerSettings
{
    public const string S3EncryptionAlgorithmVariable = "S3_ENCRYPTION_ALGORITHM";
    public const string KmsKeyArnVariable = "KMS_KEY_ARN";
    public const string TlsOnlyPolicyVariable = "TLS_ONLY_POLICY";
    public const string EbsDefaultKmsKeyArnVariable = "EBS_DEFAULT_KMS_KEY_ARN";
    public const string ConfigRuleNamesVariable = "CONFIG_RULE_NAMES";
    public const string ExemptTagKeyVariable = "EXEMPT_TAG_KEY";
    public const string ExemptTagValueVariable = "EXEMPT_TAG_VALUE";
    public const string ExemptBucketNamesVariable = "EXEMPT_BUCKET_NAMES";

    public RemediationMode Mode { get; init; } = RemediationMode.DryRun;
    public RequiredEncryption S3Encryption { get; init; } = RequiredEncryption.SseS3;
    public bool TlsOnlyPolicy { get; init; } = true;
    public KmsKeyArn? EbsDefaultKmsKey { get; init; }
    public IReadOnlySet<string> ConfigRuleNames { get; init; } = new HashSet<string>(
    [
        "s3-bucket-server-side-encryption-enabled", "s3-default-encryption-kms", "s3-bucket-ssl-requests-only",
        "ec2-ebs-encryption-by-default", "encrypted-volumes",
    ]);
    public ExemptionPolicy Exemptions { get; init; } = ExemptionPolicy.None;

    public static EncryptionEnforcerSettings FromEnvironment(EnvironmentSettings env)
    {
        var defaults = new EncryptionEnforcerSettings();
        return new EncryptionEnforcerSettings
        {
            Mode = env.Mode(),
            S3Encryption = S3EncryptionFrom(env),
            TlsOnlyPolicy = env.Flag(TlsOnlyPolicyVariable, defaults.TlsOnlyPolicy),
            EbsDefaultKmsKey = KeyArn(env, EbsDefaultKmsKeyArnVariable),
            ConfigRuleNames = env.List(ConfigRuleNamesVariable, [.. defaults.ConfigRuleNames]).ToHashSet(StringComparer.Ordinal),
            Exemptions = env.Exemptions(ExemptTagKeyVariable, ExemptTagValueVariable, ExemptBucketNamesVariable),
        };
    }

    /// <summary>"auto" (the default) means SSE-KMS with the configured key when there is one, else SSE-S3.</summary>
    private static RequiredEncryption S3EncryptionFrom(EnvironmentSettings env)
    {
        var key = KeyArn(env, KmsKeyArnVariable);
        return env.Optional(S3EncryptionAlgorithmVariable) switch
        {
            null or "auto" => key is null ? RequiredEncryption.SseS3 : RequiredEncryption.SseKms(key),
            EncryptionPolicy.Kms => key is null
                ? throw new SettingsException(S3EncryptionAlgorithmVariable, "is aws:kms but KMS_KEY_ARN is empty", "Set KmsKeyArn to the full ARN of the key buckets must use.")
                : RequiredEncryption.SseKms(key),
            EncryptionPolicy.Aes256 => key is null
                ? RequiredEncryption.SseS3
                : throw new SettingsException(S3EncryptionAlgorithmVariable, "is AES256 but KMS_KEY_ARN names a key", "Use auto or aws:kms with a key, or clear KmsKeyArn."),
            var other => throw new SettingsException(S3EncryptionAlgorithmVariable, $"'{other}' is not an algorithm", "Use auto, aws:kms or AES256."),
        };
    }

    private static KmsKeyArn? KeyArn(EnvironmentSettings env, string variable) => env.Optional(variable) switch
    {
        null => null,
        var text => KmsKeyArn.Parse(text) ?? throw new SettingsException(variable, $"'{text}' is not a full KMS key ARN",
            "Use arn:<partition>:kms:<region>:<account>:key/<key-id>; aliases and bare key ids resolve in the caller's account."),
    };
}
