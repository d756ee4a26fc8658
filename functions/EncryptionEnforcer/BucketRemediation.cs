using Remediators.Core.Remediation;

namespace EncryptionEnforcer;

/// <summary>
/// Brings one bucket to the required default encryption and TLS-only policy: exemptions first, then reads, the pure
/// decisions, and the writes (none in dry-run). A bucket deleted meanwhile is a clean end.
/// </summary>
internal sealed class BucketRemediation(EncryptionEnforcerSettings settings, IBucketGateway gateway, bool dryRun)
{
    public const string SetEncryptionAction = "PutBucketEncryption";
    public const string SetPolicyAction = "PutBucketPolicy";

    public async Task<ResourceResult> RunAsync(EncryptionRequest.Bucket request, CancellationToken cancellationToken)
    {
        var (bucket, owner) = (request.BucketName, request.Account);
        try
        {
            // GetBucketTagging is one call per event, so it is made only when a tag exemption is configured.
            var tags = settings.Exemptions.TagKey is not null && !settings.Exemptions.AllowedIds.Contains(bucket)
                ? await gateway.GetTagsAsync(bucket, owner, cancellationToken)
                : new Dictionary<string, string>();
            if (settings.Exemptions.ExemptionReason(bucket, tags) is { } exempt)
                return ResourceResult.NoChange(bucket, OutcomeStatus.Exempt, exempt);

            var encryption = await gateway.GetEncryptionAsync(bucket, owner, cancellationToken);
            var encryptionChange = DecideEncryption(request, encryption);
            var policy = settings.TlsOnlyPolicy ? await gateway.GetPolicyAsync(bucket, owner, cancellationToken) : null;
            var policyChange = settings.TlsOnlyPolicy ? TlsOnlyPolicy.Merge(policy, bucket, request.Partition) : new PolicyMerge.Unchanged();

            var changes = new List<Change>();
            var refusals = new List<string>();
            if (encryptionChange is { Refusal: { } encryptionRefusal })
                refusals.Add($"default encryption not changed: {encryptionRefusal}");
            else if (encryptionChange is { Target: { } target })
            {
                if (!dryRun)
                    await gateway.PutEncryptionAsync(bucket, owner, target, cancellationToken);
                changes.Add(EncryptionChange(bucket, encryption, target));
            }
            if (policyChange is PolicyMerge.Refused { Reason: var policyRefusal })
                refusals.Add($"TLS-only policy not changed: {policyRefusal}");
            else if (policyChange is PolicyMerge.Updated { Policy: var merged })
            {
                if (!dryRun)
                    await gateway.PutPolicyAsync(bucket, owner, merged, cancellationToken);
                changes.Add(PolicyChange(bucket, policy, merged));
            }
            return Result(request, changes, refusals);
        }
        catch (BucketGoneException)
        {
            return ResourceResult.NoChange(bucket, OutcomeStatus.AlreadyCompliant, $"bucket {bucket} no longer exists");
        }
    }

    private (BucketEncryption? Target, string? Refusal) DecideEncryption(EncryptionRequest.Bucket request, BucketEncryption? current)
    {
        var required = settings.S3Encryption;
        if (EncryptionPolicy.Satisfies(current, required))
            return (null, null);
        if (required.KmsKey?.UnusableIn(request.Region, request.Partition) is { } refusal)
            return (null, refusal);
        return (EncryptionPolicy.Target(current, required), null);
    }

    private ResourceResult Result(EncryptionRequest.Bucket request, List<Change> changes, List<string> refusals)
    {
        var done = changes.Select(c => c.Reason).ToList();
        var reason = string.Join("; ", (dryRun ? done.Select(d => $"dry run, would have {d}") : done).Concat(refusals));
        if (refusals.Count > 0)
            return new ResourceResult(request.BucketName, OutcomeStatus.Failed, $"{request.Cause}: {reason}", changes);
        if (changes.Count == 0)
            return ResourceResult.NoChange(request.BucketName, OutcomeStatus.AlreadyCompliant,
                $"{request.Cause}: default encryption meets {settings.S3Encryption}" + (settings.TlsOnlyPolicy ? " and the TLS-only statement is in place" : ""));
        return new ResourceResult(request.BucketName, dryRun ? OutcomeStatus.DryRun : OutcomeStatus.Remediated, $"{request.Cause}: {reason}", changes);
    }

    private Change EncryptionChange(string bucket, BucketEncryption? previous, BucketEncryption target) =>
        new(SetEncryptionAction, bucket, $"set default encryption to {settings.S3Encryption}", new Dictionary<string, string>
        {
            ["bucket"] = bucket,
            ["previousEncryption"] = previous?.ToS3Json() ?? "none",
            ["newEncryption"] = target.ToS3Json(),
        }, previous is null
            ? $"There was no default encryption before: aws s3api delete-bucket-encryption --bucket {bucket}"
            : $"Put back the previous default encryption: aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration '{previous.ToS3Json()}'");

    private static Change PolicyChange(string bucket, string? previous, string merged) =>
        new(SetPolicyAction, bucket, previous is null ? "added a TLS-only bucket policy" : "merged the TLS-only statement into the bucket policy",
            new Dictionary<string, string>
            {
                ["bucket"] = bucket,
                ["previousPolicy"] = previous ?? "none",
                ["newPolicy"] = merged,
            }, previous is null
                ? $"There was no bucket policy before: aws s3api delete-bucket-policy --bucket {bucket}"
                // A policy can be 20 KB, too long for the sentence: the undo values hold it.
                : $"Save the undo value previousPolicy as previous-policy.json and put it back: aws s3api put-bucket-policy --bucket {bucket} --policy file://previous-policy.json " +
                  $"(or remove only the statement with Sid {TlsOnlyPolicy.Sid}).");
}
