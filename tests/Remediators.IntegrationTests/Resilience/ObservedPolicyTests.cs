using System.Text.Json.Serialization;
using Amazon.EC2;
using Amazon.S3;
using EncryptionEnforcer;
using Remediators.Bench.Proxy;
using Remediators.Core.Aws;
using Remediators.Core.Notifications;
using Remediators.Core.Remediation;
using Remediators.Core.Sweeps;
using Remediators.Core.Targets;
using Remediators.IntegrationTests.Fixtures;
using Remediators.IntegrationTests.Resilience.Scenario;
using Remediators.IntegrationTests.Template;
using static Remediators.IntegrationTests.Resilience.Scenario.ScenarioFunctions;

namespace Remediators.IntegrationTests.Resilience;

/// <summary>
/// Each function driven down every path it has in process, in dry-run (the default) and enforce mode (trusted CIDRs, ELBv2 denied
/// so ALBs show through their ENIs, NACL denies until the rule range is full, a full IP set, tag exemptions, Config by user id,
/// the EBS default key...), while the proxy
/// lists what it called. Mapped to IAM actions, what it called must be exactly what template.yaml grants it: nothing denied in
/// production, nothing granted for nothing. Destinations' sqs:SendMessage is Lambda's, not the code's. Outcome publishing is
/// granted to every function alike (TemplateTests checks it) and its KMS calls are SNS's on the function's behalf, which no
/// proxy sees, so it is left out on both sides. Every path here acts in the function's own account, so reaching member accounts
/// (sts:AssumeRole, organizations:DescribeAccount) and sweeping them (the work queue, which Lambda's event source mapping polls
/// with the function's role, and organizations:ListAccounts) are left out too: the member-target and sweep tests call those.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class ObservedPolicyTests(SeededMoto seeded) : IClassFixture<SeededMoto>
{
    private static readonly string[] NotComparedHere =
        ["sqs:SendMessage", .. OutcomePublishingSettings.IamActions, .. TargetAccess.FeatureIamActions.SelectMany(f => f.Actions),
         .. SweepFanOut.FeatureIamActions.SelectMany(f => f.Actions)];

    [Fact]
    public async Task EveryFunction_CallsExactlyTheActionsItsPolicyGrants()
    {
        await using var proxy = await seeded.Moto.StartProxyAsync(FaultPlan.None);
        var observed = new Dictionary<string, IReadOnlySet<string>>();
        // The pruner first: the blocker's full NACL range takes over the entry the pruner is to remove.
        foreach (var function in new[] { Pruner, Revoker, Disabler, Enforcer, Blocker })
        {
            var outcomes = await DriveAsync(function, proxy);
            Assert.All(outcomes, o => Assert.NotEqual(OutcomeStatus.Rejected, o.Status));
            observed[function] = proxy.TakeCalls().Select(c => c.Operation.IamAction).Except(NotComparedHere).ToHashSet(StringComparer.Ordinal);
        }

        var mismatches = All.Select(function =>
        {
            var granted = TemplatePolicies.GrantedActions(function).Except(NotComparedHere).ToHashSet(StringComparer.Ordinal);
            var unused = granted.Except(observed[function]).Order(StringComparer.Ordinal).ToList();
            var ungranted = observed[function].Except(granted).Order(StringComparer.Ordinal).ToList();
            return unused.Count + ungranted.Count == 0 ? null
                : $"{function}: called but not granted [{string.Join(", ", ungranted)}]; granted but never called [{string.Join(", ", unused)}]";
        }).OfType<string>().ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    // A customer prefix list holding the whole internet: the revoker reads its entries to judge the rule.
    private static async Task<string> GroupOpenThroughAPrefixListAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var ec2 = ScenarioSeeding.Ec2(moto);
        var list = (await ec2.CreateManagedPrefixListAsync(new Amazon.EC2.Model.CreateManagedPrefixListRequest
        {
            PrefixListName = account.Name("listed"), AddressFamily = "IPv4", MaxEntries = 2, Entries = [new() { Cidr = "0.0.0.0/0" }],
        })).PrefixList.PrefixListId;
        account.Groups["listed"] = (await ec2.CreateSecurityGroupAsync(new Amazon.EC2.Model.CreateSecurityGroupRequest
        {
            VpcId = account.VpcId, GroupName = account.Name("listed"), Description = "listed",
        })).GroupId;
        await ec2.AuthorizeSecurityGroupIngressAsync(new Amazon.EC2.Model.AuthorizeSecurityGroupIngressRequest
        {
            GroupId = account.Groups["listed"],
            IpPermissions = [new() { IpProtocol = "tcp", FromPort = 22, ToPort = 22, PrefixListIds = [new() { Id = list }] }],
        });
        return "listed";
    }

    // A subnet that gives instances public addresses: the revoker reads it and, with SubnetAutoAssignPublicIp=disable, turns that off.
    private static async Task<string> AutoAssigningSubnetAsync(ResilienceMoto moto)
    {
        var ec2 = ScenarioSeeding.Ec2(moto);
        var vpc = (await ec2.CreateVpcAsync(new Amazon.EC2.Model.CreateVpcRequest { CidrBlock = "10.77.0.0/16" })).Vpc.VpcId;
        var subnet = (await ec2.CreateSubnetAsync(new Amazon.EC2.Model.CreateSubnetRequest { VpcId = vpc, CidrBlock = "10.77.1.0/24" })).Subnet.SubnetId;
        await ec2.ModifySubnetAttributeAsync(new Amazon.EC2.Model.ModifySubnetAttributeRequest { SubnetId = subnet, MapPublicIpOnLaunch = true });
        return subnet;
    }

    private async Task<List<Outcome>> DriveAsync(string function, AwsProxy proxy)
    {
        var (moto, account) = (seeded.Moto, seeded.Account);
        var aws = moto.ClientsThrough(proxy);
        var remediation = Create(function, account, aws, RemediationMode.Enforce);
        var outcomes = new List<Outcome>();
        async Task Run(IRemediation target, string json) =>
            outcomes.Add(await target.RunAsync(System.Text.Encoding.UTF8.GetBytes(json), Context(function), CancellationToken.None));
        // A dry run reads what enforce mode reads and, for NACLs, the entries we own without taking the lease.
        var dryRun = Create(function, account, aws, RemediationMode.DryRun);
        await Run(dryRun, function switch
        {
            Revoker => ScenarioEvents.Revoke("web", "").Json(account),
            Disabler => ScenarioEvents.Sample("unused-key-disabler/scheduled-scan.json"),
            Enforcer => ScenarioEvents.Sample("encryption-enforcer/create-bucket.json", ("remediators-example-bucket", account.Buckets["plain"])),
            Blocker => ScenarioEvents.Finding("203.0.113.70", ScenarioAccount.Now.AddMinutes(-5), account.SubnetId, "policy-0"),
            _ => ScenarioEvents.Sample("blocklist-pruner/scheduled-prune.json"),
        });

        switch (function)
        {
            case Revoker:
                await Run(remediation, ScenarioEvents.Revoke("web", "").Json(account));
                await Run(remediation, ScenarioEvents.Revoke("alb", "").Json(account));
                await Run(remediation, ScenarioEvents.Sample("public-ingress-revoker/authorize-security-group-ingress-by-name.json", ("legacy-web", account.GroupNames["default-named"])));
                proxy.Plan = proxy.Plan with { DeniedOperations = new HashSet<string> { "DescribeLoadBalancers" } };
                await Run(remediation, ScenarioEvents.Revoke("legacy-alb", "").Json(account));
                proxy.Plan = FaultPlan.None;
                await Run(remediation, ScenarioEvents.Revoke(await GroupOpenThroughAPrefixListAsync(moto, account), "").Json(account));
                await Run(remediation, ScenarioEvents.Sample("public-ingress-revoker/modify-subnet-attribute-map-public-ip.json",
                    ("subnet-0a1b2c3d4e5f60718", await AutoAssigningSubnetAsync(moto))));
                break;
            case Disabler:
                await Run(remediation, ScenarioEvents.Sample("unused-key-disabler/scheduled-scan.json"));
                await Run(remediation, ScenarioEvents.Sample("unused-key-disabler/config-unused-credentials-noncompliant.json", ("AIDAEXAMPLEUSERID0001", account.UserIds["config"])));
                await Run(remediation, ScenarioEvents.Sample("unused-key-disabler/guardduty-compromised-long-term-key.json", ("AKIAEXAMPLEKEYID0001", account.Keys["compromised-used"])));
                break;
            case Enforcer:
                await Run(remediation, ScenarioEvents.Sample("encryption-enforcer/create-bucket.json", ("remediators-example-bucket", account.Buckets["plain"])));
                var withKeys = EnforcerWithKeys(aws, moto.ClientsThrough(proxy, retry: RetryBackoff.Default with { MaxAttempts = 1 }), await CreateKmsKeyAsync(moto));
                await Run(withKeys, ScenarioEvents.Sample("encryption-enforcer/disable-ebs-encryption-by-default.json"));
                // The kms bucket's key is not the configured one, so KMS is asked what it is.
                await Run(withKeys, ScenarioEvents.Sample("encryption-enforcer/create-bucket.json", ("remediators-example-bucket", account.Buckets["kms"])));
                break;
            case Blocker:
                // One rule number (the pruner freed it): the first attacker takes it, the second replaces that entry, the oldest.
                var narrow = Create(Blocker, account with { NaclRules = new(1, 1) }, aws, RemediationMode.Enforce);
                await Run(narrow, ScenarioEvents.Finding("203.0.113.71", ScenarioAccount.Now.AddMinutes(-5), account.SubnetId, "policy-1"));
                await Run(narrow, ScenarioEvents.Finding("203.0.113.72", ScenarioAccount.Now.AddMinutes(-4), account.SubnetId, "policy-2"));
                await FillAsync(moto, account.Ipv4SetArn);
                await Run(remediation, ScenarioEvents.Finding("203.0.113.73", ScenarioAccount.Now.AddMinutes(-3), null, "policy-3"));
                break;
            default:
                await Run(remediation, ScenarioEvents.Sample("blocklist-pruner/scheduled-prune.json"));
                break;
        }
        return outcomes;
    }

    /// <summary>
    /// The enforcer with an EBS default key and an S3 key to enforce, its one read moto lacks answered by
    /// <see cref="MotoLacksDefaultKeyRead"/>.
    /// </summary>
    private global::EncryptionEnforcer.Function EnforcerWithKeys(AwsClients aws, AwsClients singleAttempt, string keyArn) =>
        new global::EncryptionEnforcer.Function(EnforcerSettings(seeded.Account, RemediationMode.Enforce) with
            {
                EbsDefaultKmsKey = KmsKeyArn.Parse(keyArn), S3Encryption = RequiredEncryption.SseKms(KmsKeyArn.Parse(keyArn)!),
            },
            target => new BucketGateway(aws.Sdk<AmazonS3Client, AmazonS3Config>(target.Region, (c, config) => new AmazonS3Client(c, config))),
            target => new KmsKeyGateway(Kms(aws, target.Region)),
            target => new MotoLacksDefaultKeyRead(new EbsGateway(singleAttempt.Sdk<AmazonEC2Client, AmazonEC2Config>(target.Region, (c, config) => new AmazonEC2Client(c, config)))),
            TimeProvider.System);

    /// <summary>Fills the set to WAF's 10,000 addresses with addresses the blocklist does not know, so the next block must look for room.</summary>
    private static async Task FillAsync(ResilienceMoto moto, string setArn)
    {
        var waf = moto.Clients.Wafv2(ResilienceMoto.Region);
        var set = IpSetReference.FromArn(setArn);
        var full = Enumerable.Range(0, 10_000).Select(i => $"11.0.{i / 256}.{i % 256}/32").ToList();
        await waf.UpdateIpSetAsync(set, full, (await waf.GetIpSetAsync(set, CancellationToken.None)).LockToken, CancellationToken.None);
    }

    private static async Task<string> CreateKmsKeyAsync(ResilienceMoto moto)
    {
        var kms = new JsonProtocolClient(new AwsService("kms", "KMS", r => (new Uri($"https://kms.{r}.amazonaws.com"), r)),
            "TrentService", ResilienceMoto.Region, moto.Credentials, new HttpClient(), RetryBackoff.Default, moto.Endpoint);
        var created = await kms.CallAsync("CreateKey", new KmsKeyRequest("EBS default key"),
            PolicyJsonContext.Default.KmsKeyRequest, PolicyJsonContext.Default.KmsKeyResponse, CancellationToken.None);
        return created.KeyMetadata.Arn;
    }

    /// <summary>
    /// moto 5.2.1 answers GetEbsDefaultKmsKeyId with a 500; the call still goes out (so the proxy sees it), and its failure is
    /// answered with the AWS managed key, the default until someone sets one. Every other call goes to moto untouched.
    /// </summary>
    private sealed class MotoLacksDefaultKeyRead(IEbsGateway inner) : IEbsGateway
    {
        public Task<bool> IsEncryptedByDefaultAsync(CancellationToken cancellationToken) => inner.IsEncryptedByDefaultAsync(cancellationToken);

        public async Task<string?> GetDefaultKmsKeyIdAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.GetDefaultKmsKeyIdAsync(cancellationToken);
            }
            catch (AmazonEC2Exception error) when ((int)error.StatusCode >= 500)
            {
                return "alias/aws/ebs";
            }
        }

        public Task EnableEncryptionByDefaultAsync(CancellationToken cancellationToken) => inner.EnableEncryptionByDefaultAsync(cancellationToken);

        public Task<string?> SetDefaultKmsKeyAsync(string keyArn, CancellationToken cancellationToken) => inner.SetDefaultKmsKeyAsync(keyArn, cancellationToken);
    }
}

internal sealed record KmsKeyRequest(string Description);

internal sealed record KmsKeyResponse(KmsKeyDescription KeyMetadata);

internal sealed record KmsKeyDescription(string Arn);

[JsonSerializable(typeof(KmsKeyRequest))]
[JsonSerializable(typeof(KmsKeyResponse))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
