using System.Text.Json;
using AttackerIpBlocker;
using FsCheck;
using FsCheck.Fluent;
using Remediators.Core.Events;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;
using Remediators.Tests.Blocklist;

namespace Remediators.Tests.AttackerIpBlocker;

/// <summary>
/// GuardDuty findings of every action type, role and kind of finding type, carrying addresses of every class and the account's own
/// addresses, seen on either side of the retention's edge, some samples, some from another account or region.
/// </summary>
public static class FindingGenerators
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 30, 0, TimeSpan.Zero);
    public const string OurAccount = "123456789012";
    public const string OurRegion = "us-east-1";
    public static readonly FunctionScope Scope = new(OurAccount, OurRegion);

    /// <summary>The account's own public addresses in the generated findings: an Elastic IP and a NAT gateway's address.</summary>
    public static readonly OwnAddresses Own = OwnAddresses.From([("54.214.10.20", "Elastic IP eipalloc-1"), ("54.214.10.21", "NAT gateway nat-1")]);

    /// <summary>A finding decided as the function decides it in our account and region alone: its target resolved and checked first, our own addresses known.</summary>
    public static FindingDecision Decide(ReceivedFinding received, AttackerIpBlockerSettings settings) =>
        AttackerIpPolicy.Decide(received, new DecisionContext(Now, new TargetScope(Scope, TargetSettings.OwnAccountOnly).Resolve(
            new GuardDutyFindingEvent(received.Envelope, received.Finding), TargetKind.Regional), Own), settings);

    /// <summary>Types whose API callers are on a threat list (blocked by default), and types that are not (blocked only when opted in).</summary>
    public static readonly string[] MaliciousCallerTypes =
        ["UnauthorizedAccess:IAMUser/MaliciousIPCaller", "Recon:IAMUser/MaliciousIPCaller.Custom", "CredentialAccess:RDS/MaliciousIPCaller.FailedLogin", "Discovery:Kubernetes/TorIPCaller"];

    public static readonly string[] OtherTypes =
        ["UnauthorizedAccess:EC2/SSHBruteForce", "Discovery:IAMUser/AnomalousBehavior", "Execution:Kubernetes/ExecInKubeSystemPod",
         "CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin", "Recon:IAMUser/MaliciousIPCallerLookalike", "MaliciousIPCaller"];

    private static readonly JsonElement SampleInfo = JsonDocument.Parse("""{"sample":true}""").RootElement.Clone();

    public static EventBridgeEvent Envelope(string account = "123456789012", string region = "us-east-1") => new()
    {
        Id = Guid.NewGuid().ToString(), DetailType = "GuardDuty Finding", Source = "aws.guardduty", Account = account, Region = region, Time = Now,
    };

    public static GuardDutyFinding Finding(FindingAction action, string? role = "TARGET", double severity = 5, DateTimeOffset? lastSeen = null,
        string type = "UnauthorizedAccess:EC2/SSHBruteForce", string[]? subnets = null, string account = "123456789012") => new()
    {
        Id = Guid.NewGuid().ToString("N"), Type = type, Severity = severity, AccountId = account, Region = "us-east-1",
        Resource = new FindingResource(null, new InstanceDetails([.. (subnets ?? ["subnet-1"]).Select(s => new FindingNetworkInterface(s))])),
        Service = new FindingService(action, role, lastSeen ?? Now.AddMinutes(-5), default),
    };

    public static FindingAction Inbound(string? v4 = null, string? v6 = null, string direction = "INBOUND") =>
        new(new NetworkConnectionAction(direction, new RemoteIpDetails(v4, v6)), null, null, null, null);

    public static FindingAction ApiCall(string v4) => new(null, new RemoteIpAction(new RemoteIpDetails(v4, null)), null, null, null);

    /// <summary>How long before now a finding was last seen: anywhere in a day and a half, and exactly at the 24 h retention's edge ± one tick.</summary>
    public static Gen<TimeSpan> Age() => Gen.Frequency(
        (3, Gen.Choose(-30, 60 * 36).Select(minutes => TimeSpan.FromMinutes(minutes))),
        (1, Gen.Elements(TimeSpan.FromHours(24), TimeSpan.FromHours(24) - TimeSpan.FromTicks(1), TimeSpan.FromHours(24) + TimeSpan.FromTicks(1))));

    public static Gen<ReceivedFinding> AnyFinding() =>
        from addresses in Gen.ArrayOf(Gen.Frequency((8, AddressGenerators.AddressText()), (2, Gen.Elements("54.214.10.20", "54.214.10.21"))), 6)
        from kind in Gen.Elements("network", "api", "probe", "kubernetes", "rds", "all")
        from direction in Gen.Elements("INBOUND", "OUTBOUND", "UNKNOWN")
        from role in Gen.Elements<string?>("TARGET", "TARGET", "ACTOR", null)
        from severity in Gen.Elements(1.0, 3.9, 4.0, 5.0, 8.0)
        from age in Age()
        from type in Gen.Elements([.. MaliciousCallerTypes, .. OtherTypes])
        from sample in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        from account in Gen.Frequency((8, Gen.Constant(OurAccount)), (1, Gen.Constant("210987654321")))
        from region in Gen.Frequency((8, Gen.Constant(OurRegion)), (1, Gen.Constant("eu-west-1")))
        from envelopeRegion in Gen.Frequency((9, Gen.Constant(OurRegion)), (1, Gen.Constant("eu-west-1")))
        let details = addresses.Chunk(2).Select(pair => new RemoteIpDetails(pair[0], pair[1])).ToArray()
        let finding = Finding(new FindingAction(kind is "network" or "all" ? new NetworkConnectionAction(direction, details[0]) : null,
            kind is "api" or "all" ? new RemoteIpAction(details[1]) : null,
            kind is "probe" or "all" ? new PortProbeAction([new PortProbeDetail(details[0]), new PortProbeDetail(details[2])]) : null,
            kind is "kubernetes" or "all" ? new RemoteIpAction(details[2]) : null,
            kind is "rds" or "all" ? new RemoteIpAction(details[1]) : null), role, severity, Now - age, type, account: account)
        select new ReceivedFinding("message", Envelope(region: envelopeRegion), finding with
        {
            Region = region,
            Service = finding.Service! with { AdditionalInfo = sample ? SampleInfo : default },
        });

    public static Arbitrary<ReceivedFinding[]> Findings() => Gen.ArrayOf(AnyFinding()).ToArbitrary();
}
