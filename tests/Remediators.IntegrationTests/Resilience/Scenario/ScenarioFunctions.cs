using System.Net;
using Amazon.EC2;
using Amazon.S3;
using Remediators.Core.Aws;
using Remediators.Core.Blocklist;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;

namespace Remediators.IntegrationTests.Resilience.Scenario;

/// <summary>
/// The five functions in process, wired as each <c>Main</c> wires them (real gateways on <see cref="AwsClients"/>), with the
/// scenario's settings: exemptions by tag, name, path and id, trusted CIDRs, NACL denies, a cap on keys per run.
/// </summary>
public static class ScenarioFunctions
{
    public const string Revoker = "PublicIngressRevoker";
    public const string Disabler = "UnusedKeyDisabler";
    public const string Enforcer = "EncryptionEnforcer";
    public const string Blocker = "AttackerIpBlocker";
    public const string Pruner = "BlocklistPruner";

    public static readonly string[] All = [Revoker, Disabler, Enforcer, Blocker, Pruner];

    public static readonly IPNetwork[] TrustedCidrs = [IPNetwork.Parse("10.20.0.0/16"), IPNetwork.Parse("2001:db8:20::/48")];

    /// <param name="tagExemptions">Configure the exemption tag, which costs one tag lookup per group, user or bucket.</param>
    public static IRemediation Create(string function, ScenarioAccount account, AwsClients aws, RemediationMode mode, bool tagExemptions = true) => function switch
    {
        Revoker => new global::PublicIngressRevoker.Function(RevokerSettings(account, mode, tagExemptions), target => new global::PublicIngressRevoker.SecurityGroupGateway(Ec2(aws, target.Region), aws.Elbv2(target.Region)),
            target => new global::PublicIngressRevoker.SubnetPublicIpGateway(Ec2(aws, target.Region))),
        Disabler => new global::UnusedKeyDisabler.Function(DisablerSettings(account, mode, tagExemptions),
            _ => new global::UnusedKeyDisabler.AccessKeyGateway(aws.Iam(ResilienceMoto.Region), TimeProvider.System), TimeProvider.System),
        Enforcer => new global::EncryptionEnforcer.Function(EnforcerSettings(account, mode, tagExemptions),
            target => new global::EncryptionEnforcer.BucketGateway(aws.Sdk<AmazonS3Client, AmazonS3Config>(target.Region, (c, config) => new AmazonS3Client(c, config))),
            target => new global::EncryptionEnforcer.KmsKeyGateway(Kms(aws, target.Region)),
            target => new global::EncryptionEnforcer.EbsGateway(Ec2(aws, target.Region)), TimeProvider.System),
        Blocker => Blocklist(account, aws, parts =>
        {
            var gateway = global::AttackerIpBlocker.BlocklistGateway.From(parts);
            return new global::AttackerIpBlocker.Function(BlockerSettings(account, mode), _ => gateway, new TestClock.FixedNow(ScenarioAccount.Now));
        }),
        Pruner => Blocklist(account, aws, parts => new global::BlocklistPruner.Function(new global::BlocklistPruner.BlocklistPrunerSettings { Mode = mode, NaclDeny = true, Blocklist = account.Blocklist },
            new global::BlocklistPruner.PrunerGateway(parts.Table, parts.Writer, _ => parts.Nacls), new TestClock.FixedNow(ScenarioAccount.Now))),
        _ => throw new ArgumentException($"unknown function {function}", nameof(function)),
    };

    // The function ARN Lambda gives: functions refuse events naming another account or region than the one it names.
    public static InvocationContext Context(string requestId, string region = ResilienceMoto.Region) => new(requestId, DateTimeOffset.UtcNow.AddMinutes(5),
        $"arn:aws:lambda:{region}:{ResilienceMoto.AccountId}:function:Scenario", null);

    public static Amazon.KeyManagementService.AmazonKeyManagementServiceClient Kms(AwsClients aws, string region) =>
        aws.Sdk<Amazon.KeyManagementService.AmazonKeyManagementServiceClient, Amazon.KeyManagementService.AmazonKeyManagementServiceConfig>(
            region, (c, config) => new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(c, config));

    public static global::PublicIngressRevoker.PublicIngressRevokerSettings RevokerSettings(ScenarioAccount account, RemediationMode mode, bool tagExemptions = true) => new()
    {
        Mode = mode,
        TrustedCidrs = TrustedCidrs,
        Exemptions = new ExemptionPolicy(tagExemptions ? ScenarioAccount.ExemptTagKey : null, "true", new HashSet<string> { account.Groups["allowlisted"] }),
        Subnets = new() { Handling = global::PublicIngressRevoker.SubnetPublicIpHandling.Disable },
    };

    public static global::UnusedKeyDisabler.UnusedKeyDisablerSettings DisablerSettings(ScenarioAccount account, RemediationMode mode, bool tagExemptions = true) => new()
    {
        Mode = mode,
        MaxKeysPerRun = 2,
        ExemptUserPathPrefixes = [ScenarioAccount.ServicePath],
        // The suites' own signing identities are exempt, as a break-glass user would be in production.
        Exemptions = new ExemptionPolicy(tagExemptions ? ScenarioAccount.ExemptTagKey : null, "true",
            new HashSet<string> { account.Users["break-glass"], ResilienceMoto.SigningUser }),
    };

    public static global::EncryptionEnforcer.EncryptionEnforcerSettings EnforcerSettings(ScenarioAccount account, RemediationMode mode, bool tagExemptions = true) => new()
    {
        Mode = mode,
        Exemptions = new ExemptionPolicy(tagExemptions ? ScenarioAccount.ExemptTagKey : null, "true", new HashSet<string> { account.Buckets["allowlisted"] }),
    };

    public static global::AttackerIpBlocker.AttackerIpBlockerSettings BlockerSettings(ScenarioAccount account, RemediationMode mode) => new()
    {
        Mode = mode,
        MinFindingSeverity = 2,
        NaclDeny = true,
        // The findings use documentation addresses, as GuardDuty's samples do.
        Addresses = new AddressRules([IPNetwork.Parse(ScenarioAccount.AllowlistedAttackers)], RefuseDocumentationRanges: false),
        Blocklist = account.Blocklist,
    };

    private static AmazonEC2Client Ec2(AwsClients aws, string region) =>
        aws.Sdk<AmazonEC2Client, AmazonEC2Config>(region, (c, config) => new AmazonEC2Client(c, config));

    private static IRemediation Blocklist(ScenarioAccount account, AwsClients aws, Func<BlocklistParts, IRemediation> create) =>
        create(BlocklistParts.Create(aws, ResilienceMoto.Region, account.Blocklist));
}
