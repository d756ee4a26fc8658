using Remediators.Core.Remediation;

namespace EncryptionEnforcer;

/// <summary>
/// Turns on a region's EBS encryption by default (and sets the configured default key), then verifies it, allowing
/// for the short delay before the setting reads back.
/// </summary>
internal sealed class EbsRemediation(KmsKeyArn? requiredKey, IEbsGateway gateway, TimeProvider clock, bool dryRun)
{
    public const string EnableAction = "EnableEbsEncryptionByDefault";
    public const string SetKeyAction = "ModifyEbsDefaultKmsKeyId";

    /// <summary>Waits before each re-read after the first: 0.5 s, doubling, about 15 s in all.</summary>
    public static readonly TimeSpan[] VerifyDelays = [.. Enumerable.Range(0, 5).Select(i => TimeSpan.FromMilliseconds(500 * Math.Pow(2, i)))];

    public async Task<ResourceResult> RunAsync(EncryptionRequest.EbsRegion request, CancellationToken cancellationToken)
    {
        var resource = $"ebs-encryption-by-default:{request.Region}";
        var made = new List<Change>();
        var doing = "reading the EBS encryption-by-default settings";
        try
        {
            var current = new EbsDefaults(
                await gateway.IsEncryptedByDefaultAsync(cancellationToken),
                requiredKey is null ? null : await gateway.GetDefaultKmsKeyIdAsync(cancellationToken));
            var plan = EncryptionPolicy.DecideEbs(current, requiredKey, request.Region, request.Partition);
            var changes = Changes(request.Region, current, plan);

            // A default key applies only while encryption by default is on, so encryption is enabled first.
            foreach (var change in changes)
            {
                doing = change.Reason;
                if (!dryRun)
                    await ApplyAsync(change, plan, cancellationToken);
                made.Add(change);
            }

            var refusal = plan.Refusal is null ? "" : $"; default key not changed: {plan.Refusal}";
            if (plan.IsEmpty)
            {
                var state = $"EBS encryption by default is on in {request.Region}" + (requiredKey is null || plan.Refusal is not null ? "" : $" with {requiredKey}");
                return new ResourceResult(resource, plan.Refusal is null ? OutcomeStatus.AlreadyCompliant : OutcomeStatus.Failed, $"{request.Cause}: {state}{refusal}", []);
            }
            var done = string.Join(" and ", changes.Select(c => c.Reason)) + $" in {request.Region}";
            var status = plan.Refusal is not null ? OutcomeStatus.Failed : dryRun ? OutcomeStatus.DryRun : OutcomeStatus.Remediated;
            return new ResourceResult(resource, status, $"{request.Cause}: {(dryRun ? $"dry run, would have {done}" : $"{done}, verified")}{refusal}", changes);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return ResourceResult.Failed(resource, doing, error, dryRun ? [] : made);
        }
    }

    private async Task ApplyAsync(Change change, EbsPlan plan, CancellationToken cancellationToken)
    {
        if (change.Action == EnableAction)
        {
            await gateway.EnableEncryptionByDefaultAsync(cancellationToken);
            await VerifyEnabledAsync(cancellationToken);
        }
        else if (plan.SetDefaultKey is { } key && await gateway.SetDefaultKmsKeyAsync(key.Arn, cancellationToken) is var answered && answered != key.Arn)
            throw new InvalidOperationException($"ModifyEbsDefaultKmsKeyId answered {answered ?? "no key"} as the default, not {key}");
    }

    /// <summary>A setting still off after the bounded wait fails the run, so Lambda retries it and the failure queue catches it.</summary>
    private async Task VerifyEnabledAsync(CancellationToken cancellationToken)
    {
        foreach (var delay in VerifyDelays)
        {
            if (await gateway.IsEncryptedByDefaultAsync(cancellationToken))
                return;
            await Task.Delay(delay, clock, cancellationToken);
        }
        if (!await gateway.IsEncryptedByDefaultAsync(cancellationToken))
            throw new InvalidOperationException("EBS encryption by default still reads as off after EnableEbsEncryptionByDefault");
    }

    private static List<Change> Changes(string region, EbsDefaults current, EbsPlan plan)
    {
        var changes = new List<Change>();
        if (plan.EnableEncryption)
            changes.Add(new Change(EnableAction, region, "enabled EBS encryption by default", new Dictionary<string, string>
            {
                ["region"] = region,
                ["previousEbsEncryptionByDefault"] = "false",
                ["newEbsEncryptionByDefault"] = "true",
            }, $"Turn it off again only if you must, as this re-opens the finding: aws ec2 disable-ebs-encryption-by-default --region {region}"));
        if (plan.SetDefaultKey is { } key)
            changes.Add(new Change(SetKeyAction, region, $"set the default EBS key to {key}", new Dictionary<string, string>
            {
                ["region"] = region,
                ["previousKmsKeyId"] = current.DefaultKmsKeyId ?? "unknown",
                ["newKmsKeyId"] = key.Arn,
            }, current.DefaultKmsKeyId is { } previous
                ? $"Set the previous default key again: aws ec2 modify-ebs-default-kms-key-id --kms-key-id {previous} --region {region}"
                : $"The previous default key was not read; to go back to the AWS managed key: aws ec2 reset-ebs-default-kms-key-id --region {region}"));
        return changes;
    }
}
