using System.Text.RegularExpressions;

namespace EncryptionEnforcer;

/// <summary>A KMS key named by its full ARN: aliases and bare key ids resolve in the caller's account, so they are refused.</summary>
public sealed partial record KmsKeyArn(string Arn, string Partition, string Region, string Account, string KeyId)
{
    public static KmsKeyArn? Parse(string text) => KeyArnPattern().Match(text) is { Success: true } match
        ? new KmsKeyArn(text, match.Groups["partition"].Value, match.Groups["region"].Value, match.Groups["account"].Value, match.Groups["key"].Value)
        : null;

    /// <summary>Why the key cannot encrypt resources in <paramref name="region"/>, or null when it can: KMS keys are regional.</summary>
    public string? UnusableIn(string region, string partition) =>
        Partition != partition ? $"the KMS key {Arn} is in partition {Partition}, not {partition}"
        : Region != region ? $"the KMS key {Arn} is in {Region}; resources in {region} need a key (or multi-Region replica) in {region}"
        : null;

    public override string ToString() => Arn;

    // [0-9], not \d, which takes any Unicode digit; \z, not $, which also matches before a final newline.
    [GeneratedRegex(@"^arn:(?<partition>aws[a-z-]*):kms:(?<region>[a-z]{2}(-[a-z]+)+-[0-9]):(?<account>[0-9]{12}):key/(?<key>[A-Za-z0-9-]+)\z")]
    private static partial Regex KeyArnPattern();
}
