using Amazon.EC2;
using Amazon.KeyManagementService;
using Amazon.S3;
using Remediators.Core.Aws;
using Remediators.Core.Events;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace EncryptionEnforcer;

/// <summary>Keeps buckets encrypted by default and TLS-only, and EBS encryption by default on, in the event's account and region.</summary>
/// <param name="bucketsIn">S3's verbs in one target account and region (this and the others called after <see cref="TargetAccess.ConnectAsync"/>).</param>
/// <param name="targets">Which accounts and regions it may act in; null is its own only (in-process tests).</param>
public sealed class Function(
    EncryptionEnforcerSettings settings,
    Func<Target, IBucketGateway> bucketsIn,
    Func<Target, IKmsKeyGateway> keysIn,
    Func<Target, IEbsGateway> ebsIn,
    TimeProvider clock,
    TargetAccess? targets = null) : IRemediation
{
    private readonly TargetAccess _targets = targets ?? TargetAccess.OwnAccountOnly(Name);

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
        var targets = TargetAccess.FromEnvironment(Name, env, aws);
        // No ForcePathStyle: the SDK addresses an endpoint given by IP address (an emulator) path-style by itself.
        var function = new Function(settings,
            target => new BucketGateway(targets.ClientsFor(target).Sdk<AmazonS3Client, AmazonS3Config>(target.Region,
                (credentials, config) => new AmazonS3Client(credentials, config))),
            target => new KmsKeyGateway(targets.ClientsFor(target).Sdk<AmazonKeyManagementServiceClient, AmazonKeyManagementServiceConfig>(target.Region,
                (credentials, config) => new AmazonKeyManagementServiceClient(credentials, config))),
            target => new EbsGateway(targets.ClientsFor(target).Sdk<AmazonEC2Client, AmazonEC2Config>(target.Region,
                (credentials, config) => new AmazonEC2Client(credentials, config))),
            TimeProvider.System, targets);
        return RemediationHandler.ForLambda(function, env, aws);
    });

    public async Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken)
    {
        var dryRun = DryRun;
        var parsed = EventParser.Parse(payload.Span);
        if (parsed.Trigger is not { Envelope: var envelope } trigger)
            return Outcome.Rejected(Name, context.RequestId, parsed.Rejection!, dryRun);

        // Before any call: a forged or misrouted event naming an account or region it may not act in goes no further.
        var admitted = await _targets.AdmitAsync(trigger, context, TargetKind.Regional, cancellationToken);
        if (admitted.Target is not { } target)
            return Outcome.Rejected(Name, envelope.Id, admitted.Refusal!, dryRun);

        Outcome Finish(OutcomeStatus status, string reason, IReadOnlyList<ResourceResult> results, int volumesNeedingManualAction = 0) =>
            new(Name, envelope.Id, target.Account, target.Region, status, reason, dryRun, _targets.WithUndoFor(target, results),
                Count(results, dryRun, volumesNeedingManualAction), 0);

        // The bucket's or setting's region must be the target's: its clients are that region's.
        var request = EncryptionRequest.From(trigger, settings);
        if (request.RegionRefusal(new FunctionScope(target.Account, target.Region)) is { } otherRegion)
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
            case EncryptionRequest.Bucket or EncryptionRequest.EbsRegion when await _targets.ConnectAsync(target, envelope.Id, cancellationToken) is { } unreachable:
                return Finish(OutcomeStatus.Failed, unreachable.Reason, [unreachable]);
            case EncryptionRequest.Bucket bucket:
                result = await new BucketRemediation(settings, bucketsIn(target), keysIn(target), dryRun).RunAsync(bucket, cancellationToken);
                break;
            case EncryptionRequest.EbsRegion ebs:
                result = await new EbsRemediation(settings.EbsDefaultKmsKey, ebsIn(target), clock, dryRun).RunAsync(ebs, cancellationToken);
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
