using Remediators.IntegrationTests.Fixtures;
using Remediators.IntegrationTests.Resilience.Scenario;
using static Remediators.IntegrationTests.Resilience.Scenario.ScenarioFunctions;

namespace Remediators.IntegrationTests.Resilience.Fuzzing;

/// <summary>What the fuzzer starts from: each function's samples aimed at the seeded account, and the fields each function reads.</summary>
public static class FuzzSamples
{
    private static readonly string[] Envelope = ["", "id", "detail-type", "source", "account", "region", "time", "resources", "detail"];

    private static readonly string[] CloudTrail =
    [
        "detail.eventsource", "detail.eventname", "detail.errorcode", "detail.awsregion", "detail.recipientaccountid",
        "detail.requestparameters", "detail.responseelements",
    ];

    private static readonly string[] ConfigChange =
    [
        "detail.resourceid", "detail.resourcetype", "detail.configrulename", "detail.awsaccountid", "detail.awsregion",
        "detail.newevaluationresult", "detail.newevaluationresult.compliancetype",
    ];

    private static readonly string[] Finding =
    [
        "detail.id", "detail.type", "detail.severity", "detail.accountid", "detail.region", "detail.resource", "detail.service",
        "detail.service.resourcerole", "detail.service.eventlastseen", "detail.service.action",
    ];

    private static readonly string[] BucketSamples =
        ["create-bucket", "delete-bucket-encryption", "put-bucket-policy", "delete-bucket-policy", "config-s3-bucket-ssl-requests-only-noncompliant"];

    private static readonly string[] EbsSamples =
        ["disable-ebs-encryption-by-default", "reset-ebs-default-kms-key-id", "config-ec2-ebs-encryption-by-default-noncompliant", "config-encrypted-volumes-noncompliant"];

    private static readonly string[] BlockerSamples =
        ["ssh-brute-force", "port-probe-several-probers", "iam-api-call-from-malicious-ip", "ipv6-attacker", "outbound-instance-is-actor"];

    private static readonly string[] RemoteIpActions = ["networkconnectionaction", "awsapicallaction", "kubernetesapicallaction", "rdsloginattemptaction"];

    public static IReadOnlyList<string> For(string function, ScenarioAccount account) => function switch
    {
        Revoker =>
        [
            Sample("public-ingress-revoker/authorize-security-group-ingress.json", ("sg-0a1b2c3d4e5f60718", account.Groups["web"])),
            Sample("public-ingress-revoker/authorize-security-group-ingress-by-name.json", ("legacy-web", account.GroupNames["default-named"])),
            Sample("public-ingress-revoker/modify-security-group-rules.json", ("sg-0a1b2c3d4e5f60718", account.Groups["trusted"])),
            Sample("public-ingress-revoker/config-restricted-ssh-noncompliant.json", ("sg-0a1b2c3d4e5f60718", account.Groups["alb"])),
            Sample("public-ingress-revoker/scheduled-sweep.json"),
        ],
        Disabler =>
        [
            Sample("unused-key-disabler/scheduled-scan.json"),
            Sample("unused-key-disabler/config-unused-credentials-noncompliant.json", ("AIDAEXAMPLEUSERID0001", account.UserIds["config"])),
            Sample("unused-key-disabler/guardduty-compromised-long-term-key.json", ("AKIAEXAMPLEKEYID0001", account.Keys["compromised-used"])),
            Sample("unused-key-disabler/guardduty-temporary-key.json"),
        ],
        Enforcer =>
        [
            .. BucketSamples.Select(name => Sample($"encryption-enforcer/{name}.json", ("remediators-example-bucket", account.Buckets["plain"]))),
            Sample("encryption-enforcer/put-bucket-encryption-aes256.json", ("remediators-example-bucket", account.Buckets["with-policy"])),
            .. EbsSamples.Select(name => Sample($"encryption-enforcer/{name}.json")),
        ],
        // The samples' subnets stay placeholders: a mutant reaching the NACL step then costs a lookup, not a lease.
        // A batch of two rather than the five-finding sample: a mutant that gets through costs two calls per address.
        Blocker => [.. BlockerSamples.Select(name => Sample($"attacker-ip-blocker/{name}.json")),
            Findings.SqsBatch([Sample("attacker-ip-blocker/ssh-brute-force.json"), Sample("attacker-ip-blocker/ipv6-attacker.json")])],
        Pruner => [Sample("blocklist-pruner/scheduled-prune.json")],
        _ => throw new ArgumentException($"unknown function {function}", nameof(function)),
    };

    /// <summary>The JSON paths (lower case, array indexes left out) the function's parser and decision read.</summary>
    public static IReadOnlyCollection<string> SchemaPaths(string function) => new HashSet<string>(function switch
    {
        Revoker =>
        [
            .. Envelope, .. CloudTrail, .. ConfigChange, "detail.requestparameters.groupid", "detail.requestparameters.groupname",
            "detail.requestparameters.modifysecuritygrouprulesrequest", "detail.requestparameters.modifysecuritygrouprulesrequest.groupid",
            "detail.responseelements.securitygroupruleset", "detail.responseelements.securitygroupruleset.items",
            "detail.responseelements.securitygroupruleset.items.groupid",
        ],
        Disabler =>
        [
            .. Envelope, .. ConfigChange, .. Finding, "detail.resource.accesskeydetails", "detail.resource.accesskeydetails.accesskeyid",
            "detail.resource.accesskeydetails.principalid",
        ],
        Enforcer => [.. Envelope, .. CloudTrail, .. ConfigChange, "detail.requestparameters.bucketname"],
        Blocker =>
        [
            .. Envelope, .. Finding, "records", "records.messageid", "records.body",
            .. RemoteIpActions.SelectMany(action => new[] { $"detail.service.action.{action}", $"detail.service.action.{action}.remoteipdetails",
                    $"detail.service.action.{action}.remoteipdetails.ipaddressv4", $"detail.service.action.{action}.remoteipdetails.ipaddressv6" }),
            "detail.service.action.networkconnectionaction.connectiondirection", "detail.service.action.portprobeaction.portprobedetails",
            "detail.service.action.portprobeaction.portprobedetails.remoteipdetails.ipaddressv4", "detail.resource.instancedetails.networkinterfaces",
            "detail.resource.instancedetails.networkinterfaces.subnetid",
        ],
        Pruner => Envelope,
        _ => throw new ArgumentException($"unknown function {function}", nameof(function)),
    }, StringComparer.Ordinal);

    private static string Sample(string path, params (string, string)[] replacements) => ScenarioEvents.Sample(path, replacements);
}
