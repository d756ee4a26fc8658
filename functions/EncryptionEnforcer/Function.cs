using Amazon.EC2;
using Amazon.KeyManagementService;
using Amazon.S3;
using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace EncryptionEnforcer;

/// <summary>Keeps buckets encrypted by default and TLS-only, and EBS encryption by default on, in the event's region.</summary>
public sealed class Function(
    EncryptionEnforcerSettings settings,
    Func<string, IBucketGateway> bucketsIn,
    Func<string, IKmsKeyGateway> keysIn,
    Func<string, IEbsGateway> ebsIn,
    TimeProvider clock) : IRemediation
{
    public const string Name = "EncryptionEnforcer";

    /// <summary>Assuming member roles and asking Organizations who is a member, granted only while targets beyond this account are on.</summary>
    public static readonly FeatureActions[] TargetIamActions = TargetAccess.FeatureIamActions;

    public string FunctionName => Name;

    public bool DryRun => settings.Mode == RemediationMode.DryRun;

    public static Task<int> Main() => LambdaHost.RunAsync(() =>
    {
        var env = EnvironmentSettings.FromProcess();
        var settings = EncryptionEnforcerSettings.FromEnvironment(env);
        var aws = AwsClients.FromEnvironment();
        // No ForcePathStyle: the SDK addresses an endpoint given by IP address (an emulator) path-style by itself.
        var function = new Function(settings,
            region => new BucketGateway(aws.Sdk<AmazonS3Client, AmazonS3Config>(region, (credentials, config) => new AmazonS3Client(credentials, config))),
            region => new KmsKeyGateway(aws.Sdk<AmazonKeyManagementServiceClient, AmazonKeyManagementServiceConfig>(region,
                (credentials, config) => new AmazonKeyManagementServiceClient(credentials, config))),
            region => new EbsGateway(aws.Sdk<AmazonEC2Client, AmazonEC2Config>(region, (credentials, config) => new AmazonEC2Client(credentials, config))),
            TimeProvider.System);
        return RemediationHandler.ForLambda(function, env, aws);
    });

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var dryRun = DryRun;
        var parsed = EventParser.Parse(payload.Span);
        if (parsed.Trigger is not { Envelope: var envelope } trigger)
            return Outcome.Rejected(Name, context.RequestId, parsed.Rejection!, dryRun);

        Outcome Finish(OutcomeStatus status, string reason, IReadOnlyList<ResourceResult> results, int volumesNeedingManualAction = 0) =>
            new(Name, envelope.Id, envelope.Account, envelope.Region, status, reason, dryRun, results, Count(results, dryRun, volumesNeedingManualAction), 0);

        // Its role and clients are this account's and this region's: an event naming others is not this function's to act on.
        if (FunctionScope.Of(context) is not { } scope)
            return Outcome.Rejected(Name, envelope.Id, FunctionScope.UnknownScopeReason, dryRun);
        if (scope.EnvelopeRefusal(envelope) is { } outOfScope)
            return Outcome.Rejected(Name, envelope.Id, outOfScope, dryRun);
        var request = EncryptionRequest.From(trigger, settings);
        if (request.RegionRefusal(scope) is { } otherRegion)
            return Outcome.Rejected(Name, envelope.Id, otherRegion, dryRun);

        ResourceResult result;
        switch (request)
        {
            case EncryptionRequest.Refused refused:
                return Outcome.Rejected(Name, envelope.Id, refused.Reason, dryRun);
            case EncryptionRequest.NothingToDo nothing:
                return Finish(OutcomeStatus.AlreadyCompliant, nothing.Reason, []);
            case EncryptionRequest.UnencryptedVolume volume:
                result = ResourceResult.NoChange(volume.VolumeId, OutcomeStatus.AlreadyCompliant,
                    $"{ManualVolumeAction} (reported by {volume.ConfigRuleName}; not touched)");
                return Finish(result.Status, $"{volume.VolumeId}: {ManualVolumeAction}", [result], volumesNeedingManualAction: 1);
            case EncryptionRequest.Bucket bucket:
                result = await new BucketRemediation(settings, bucketsIn(bucket.Region), keysIn(bucket.Region), dryRun).RunAsync(bucket, cancellationToken);
                break;
            case EncryptionRequest.EbsRegion ebs:
                result = await new EbsRemediation(settings.EbsDefaultKmsKey, ebsIn(ebs.Region), clock, dryRun).RunAsync(ebs, cancellationToken);
                break;
            default:
                throw new InvalidOperationException("unknown encryption request");
        }
        return Finish(result.Status, result.Reason, [result]);
    }

    public const string ManualVolumeAction =
        "needs manual action: an unencrypted EBS volume cannot be encrypted in place (snapshot it, copy the snapshot encrypted, and replace the volume)";

    // A Failed result may list changes made before a refusal; in dry-run nothing was made.
    private static Dictionary<string, long> Count(IReadOnlyList<ResourceResult> results, bool dryRun, int volumesNeedingManualAction)
    {
        var made = dryRun ? [] : results.Where(r => r.Status is OutcomeStatus.Remediated or OutcomeStatus.Failed).SelectMany(r => r.Changes).ToList();
        return new()
        {
            ["EncryptionConfigured"] = made.Count(c => c.Action == BucketRemediation.SetEncryptionAction),
            ["TlsPoliciesWritten"] = made.Count(c => c.Action == BucketRemediation.SetPolicyAction),
            ["EbsSettingsChanged"] = made.Count(c => c.Action is EbsRemediation.EnableAction or EbsRemediation.SetKeyAction),
            ["VolumesNeedingManualAction"] = volumesNeedingManualAction,
            ["ResourcesExempt"] = results.Count(r => r.Status == OutcomeStatus.Exempt),
        };
    }
}
