using Remediators.Core.Remediation;

namespace EncryptionEnforcer;

/// <summary>
/// Brings one bucket to the required default encryption and TLS-only policy: exemptions first, then reads, the pure
/// decisions, and the writes (none in dry-run). A bucket deleted meanwhile is a clean end; any other error fails this
/// bucket only, keeping the changes made before it on record.
/// </summary>
internal sealed class BucketRemediation(EncryptionEnforcerSettings settings, IBucketGateway gateway, IKmsKeyGateway keys, bool dryRun)
{
    public const string SetEncryptionAction = "PutBucketEncryption";
    public const string SetPolicyAction = "PutBucketPolicy";

    public const string WebsiteRefusal =
        "the bucket has a static website configuration, whose HTTP-only endpoint the deny would make answer 403: " +
        "left for a person (serve it through CloudFront over HTTPS, then exempt or remove the website configuration)";

    public async Task<ResourceResult> RunAsync(EncryptionRequest.Bucket request, CancellationToken cancellationToken)
    {
        var (bucket, owner) = (request.BucketName, request.Account);
        var changes = new List<Change>();
        var doing = "reading the bucket's settings";
        try
        {
            // GetBucketTagging is one call per event, so it is made only when a tag exemption is configured.
            var tags = settings.Exemptions.TagKey is not null && !settings.Exemptions.AllowedIds.Contains(bucket)
                ? await gateway.GetTagsAsync(bucket, owner, cancellationToken)
                : new Dictionary<string, string>();
            if (settings.Exemptions.ExemptionReason(bucket, tags) is { } exempt)
                return ResourceResult.NoChange(bucket, OutcomeStatus.Exempt, exempt);

            var encryption = await gateway.GetEncryptionAsync(bucket, owner, cancellationToken);
            var key = NeedsKeyFacts(encryption) is { } keyId ? await keys.DescribeKeyAsync(keyId, cancellationToken) : null;
            var encryptionDecision = DecideEncryption(request, encryption, key);
            var policy = settings.TlsOnlyPolicy ? await gateway.GetPolicyAsync(bucket, owner, cancellationToken) : null;
            var policyChange = settings.TlsOnlyPolicy ? TlsOnlyPolicy.Merge(policy, bucket, request.Partition) : new PolicyMerge.Unchanged();
            if (policyChange is PolicyMerge.Updated && await gateway.HasWebsiteAsync(bucket, owner, cancellationToken))
                policyChange = new PolicyMerge.Refused(WebsiteRefusal);

            var notes = new List<string>();
            var refusals = new List<string>();
            switch (encryptionDecision)
            {
                case BucketDecision.Refuse refuse:
                    refusals.Add($"default encryption not changed: {refuse.Reason}");
                    break;
                case BucketDecision.Keep keep:
                    notes.Add(keep.Reason);
                    break;
                case BucketDecision.Write write:
                    doing = "setting the default encryption";
                    if (!dryRun)
                        await gateway.PutEncryptionAsync(bucket, owner, write.Target, cancellationToken);
                    changes.Add(EncryptionChange(bucket, encryption, write));
                    break;
            }
            if (policyChange is PolicyMerge.Refused { Reason: var policyRefusal })
                refusals.Add($"TLS-only policy not changed: {policyRefusal}");
            else if (policyChange is PolicyMerge.Updated { Policy: var merged })
            {
                doing = "writing the TLS-only bucket policy";
                if (!dryRun)
                    await gateway.PutPolicyAsync(bucket, owner, merged, cancellationToken);
                changes.Add(PolicyChange(bucket, policy, merged));
            }
            else if (settings.TlsOnlyPolicy)
                notes.Add("the TLS-only statement is in place");
            return Result(request, changes, notes, refusals);
        }
        catch (BucketGoneException)
        {
            return ResourceResult.NoChange(bucket, OutcomeStatus.AlreadyCompliant, $"bucket {bucket} no longer exists");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return ResourceResult.Failed(bucket, doing, error, dryRun ? [] : changes);
        }
    }

    /// <summary>The key id to describe: only an SSE-KMS key other than the configured key's ARN needs KMS to judge it.</summary>
    private string? NeedsKeyFacts(BucketEncryption? current) =>
        settings.S3Encryption.KmsKey is { } central && current is { Algorithm: EncryptionPolicy.Kms or EncryptionPolicy.DualLayerKms, KmsKeyId: { } named } && named != central.Arn
            ? named
            : null;

    private BucketDecision DecideEncryption(EncryptionRequest.Bucket request, BucketEncryption? current, KeyFacts? key)
    {
        var required = settings.S3Encryption;
        var decision = EncryptionPolicy.DecideBucket(current, key, required, request.Account);
        if (decision is BucketDecision.Write && required.KmsKey?.UnusableIn(request.Region, request.Partition) is { } refusal)
            return new BucketDecision.Refuse(refusal);
        return decision;
    }

    private ResourceResult Result(EncryptionRequest.Bucket request, List<Change> changes, List<string> notes, List<string> refusals)
    {
        var done = changes.Select(c => c.Reason).ToList();
        var reason = $"{request.Cause}: " + string.Join("; ", (dryRun ? done.Select(d => $"dry run, would have {d}") : done).Concat(notes).Concat(refusals));
        var status = refusals.Count > 0 ? OutcomeStatus.Failed
            : changes.Count == 0 ? OutcomeStatus.AlreadyCompliant
            : dryRun ? OutcomeStatus.DryRun : OutcomeStatus.Remediated;
        return new ResourceResult(request.BucketName, status, reason, changes);
    }

    private static Change EncryptionChange(string bucket, BucketEncryption? previous, BucketDecision.Write write) =>
        new(SetEncryptionAction, bucket, write.Reason, new Dictionary<string, string>
        {
            ["bucket"] = bucket,
            ["previousEncryption"] = previous?.ToS3Json() ?? "none",
            ["newEncryption"] = write.Target.ToS3Json(),
        }, previous is null
            ? $"There was no default encryption before: aws s3api delete-bucket-encryption --bucket {bucket}"
            : $"Put back the previous default encryption: aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration {ShellText.Quote(previous.ToS3Json())}");

    private static Change PolicyChange(string bucket, string? previous, string merged) =>
        new(SetPolicyAction, bucket, previous is null ? "added a TLS-only bucket policy" : "merged the TLS-only statement into the bucket policy",
            new Dictionary<string, string>
            {
                ["bucket"] = bucket,
                ["previousPolicy"] = previous ?? "none",
                ["newPolicy"] = merged,
            }, previous is null
                ? $"There was no bucket policy before: aws s3api delete-bucket-policy --bucket {bucket}"
                // The command comes last and holds the whole previous policy, so it runs as printed.
                : $"Put the previous bucket policy back (or remove only the statement with Sid {TlsOnlyPolicy.Sid}): " +
                  $"aws s3api put-bucket-policy --bucket {bucket} --policy {ShellText.Quote(previous)}");
}
