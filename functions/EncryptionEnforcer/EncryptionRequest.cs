using System.Text.RegularExpressions;
using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Remediation;

namespace EncryptionEnforcer;

/// <summary>The Parse step's result: which bucket or region setting an event asks about, or why it asks about none.</summary>
public abstract partial record EncryptionRequest
{
    /// <summary>A bucket whose default encryption and TLS-only policy are to be checked; the account is its expected owner.</summary>
    public sealed record Bucket(string BucketName, string Account, string Region, string Cause) : EncryptionRequest
    {
        public string Partition => AwsEndpoints.Partition(Region);
    }

    /// <summary>A region's EBS encryption-by-default setting.</summary>
    public sealed record EbsRegion(string Account, string Region, string Cause) : EncryptionRequest
    {
        public string Partition => AwsEndpoints.Partition(Region);
    }

    /// <summary>An existing unencrypted volume: it cannot be encrypted in place, so it is only reported.</summary>
    public sealed record UnencryptedVolume(string VolumeId, string ConfigRuleName) : EncryptionRequest;

    public sealed record NothingToDo(string Reason) : EncryptionRequest;
    public sealed record Refused(string Reason) : EncryptionRequest;

    /// <summary>Why a bucket or region the event names (CloudTrail's awsRegion, Config's awsRegion) is outside the function's scope, or null.</summary>
    public string? RegionRefusal(FunctionScope scope) => this switch
    {
        Bucket bucket => scope.RegionRefusal(bucket.Region, $"bucket {bucket.BucketName}"),
        EbsRegion ebs => scope.RegionRefusal(ebs.Region, "the EBS setting"),
        _ => null,
    };

    public static readonly string[] BucketEventNames =
        ["CreateBucket", "PutBucketEncryption", "DeleteBucketEncryption", "PutBucketPolicy", "DeleteBucketPolicy"];

    public static readonly string[] EbsEventNames =
        ["DisableEbsEncryptionByDefault", "ModifyEbsDefaultKmsKeyId", "ResetEbsDefaultKmsKeyId"];

    /// <summary>The event's account becomes every S3 call's expected bucket owner (a header), so it must be an account id.</summary>
    public static EncryptionRequest From(Trigger trigger, EncryptionEnforcerSettings settings) => trigger switch
    {
        _ when !AccountIdPattern().IsMatch(trigger.Envelope.Account) => new Refused($"'{trigger.Envelope.Account}' is not an AWS account id"),
        CloudTrailCall call => FromCloudTrail(call.Envelope, call.Call),
        ComplianceChange change => FromComplianceChange(change, settings),
        _ => new Refused($"{trigger.Envelope.DetailType} events are not handled by this function"),
    };

    private static EncryptionRequest FromCloudTrail(EventBridgeEvent envelope, CloudTrailDetail call)
    {
        if (call.RecipientAccountId is { } recipient && recipient != envelope.Account)
            return new Refused($"CloudTrail event for account {recipient} arrived in account {envelope.Account}");
        var region = call.AwsRegion ?? envelope.Region;
        var cause = $"CloudTrail {call.EventName}";
        return call.EventSource switch
        {
            _ when call.ErrorCode is not null => new NothingToDo($"{call.EventName} failed with {call.ErrorCode}, so it changed nothing"),
            _ when !AwsEndpoints.IsRegion(region) => new Refused($"'{region}' is not an AWS region"),
            "s3.amazonaws.com" when BucketEventNames.Contains(call.EventName) =>
                call.RequestParameters.StringAt("bucketName") is { } name
                    ? BucketNamed(name, envelope.Account, region, cause)
                    : new Refused($"{call.EventName} event has no requestParameters.bucketName"),
            "ec2.amazonaws.com" when EbsEventNames.Contains(call.EventName) => new EbsRegion(envelope.Account, region, cause),
            _ => new Refused($"CloudTrail event {call.EventSource} {call.EventName} is not handled by this function"),
        };
    }

    private static EncryptionRequest FromComplianceChange(ComplianceChange change, EncryptionEnforcerSettings settings)
    {
        var detail = change.Change;
        var account = change.Envelope.Account;
        if (!settings.ConfigRuleNames.Contains(detail.ConfigRuleName))
            return new Refused($"Config rule {detail.ConfigRuleName} is not one of {EncryptionEnforcerSettings.ConfigRuleNamesVariable}");
        if (detail.AwsAccountId is { } ruleAccount && ruleAccount != account)
            return new Refused($"Config evaluation for account {ruleAccount} arrived in account {account}");
        if (!change.IsNonCompliant)
            return new NothingToDo($"{detail.ResourceId} is {detail.NewEvaluationResult.ComplianceType} for {detail.ConfigRuleName}");
        var region = detail.AwsRegion ?? change.Envelope.Region;
        var cause = $"Config rule {detail.ConfigRuleName}";
        return detail.ResourceType switch
        {
            _ when !AwsEndpoints.IsRegion(region) => new Refused($"'{region}' is not an AWS region"),
            "AWS::S3::Bucket" => BucketNamed(detail.ResourceId, account, region, cause),
            "AWS::::Account" when detail.ResourceId == account => new EbsRegion(account, region, cause),
            "AWS::::Account" => new Refused($"Config resource {detail.ResourceId} is not account {account}"),
            "AWS::EC2::Volume" when VolumeIdPattern().IsMatch(detail.ResourceId) => new UnencryptedVolume(detail.ResourceId, detail.ConfigRuleName),
            "AWS::EC2::Volume" => new Refused($"'{detail.ResourceId}' is not an EBS volume id"),
            var other => new Refused($"Config resource type {other} is not handled by this function"),
        };
    }

    /// <summary>Bucket names go into ARNs and a policy, so anything but a bucket name's characters is refused.</summary>
    private static EncryptionRequest BucketNamed(string name, string account, string region, string cause) =>
        BucketNamePattern().IsMatch(name)
            ? new Bucket(name, account, region, cause)
            : new Refused($"'{name}' is not an S3 bucket name");

    // Current rules are stricter (3-63 lowercase characters); us-east-1 buckets made before 2018 may be longer and mixed case.
    // Every pattern ends in \z: $ also matches before a final newline, which would then reach S3.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]\z")]
    private static partial Regex BucketNamePattern();

    [GeneratedRegex(@"^[0-9]{12}\z")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^vol-[0-9a-f]{8,17}\z")]
    private static partial Regex VolumeIdPattern();
}
