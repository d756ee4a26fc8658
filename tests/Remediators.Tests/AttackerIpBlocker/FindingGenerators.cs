using AttackerIpBlocker;
using FsCheck;
using FsCheck.Fluent;
using Remediators.Core.Events;
using Remediators.Tests.Blocklist;

namespace Remediators.Tests.AttackerIpBlocker;

/// <summary>GuardDuty findings of every action type and role, carrying addresses of every class.</summary>
public static class FindingGenerators
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 30, 0, TimeSpan.Zero);

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

    public static Gen<ReceivedFinding> AnyFinding() =>
        from addresses in Gen.ArrayOf(AddressGenerators.AddressText(), 6)
        from kind in Gen.Elements("network", "api", "probe", "kubernetes", "rds", "all")
        from direction in Gen.Elements("INBOUND", "OUTBOUND", "UNKNOWN")
        from role in Gen.Elements<string?>("TARGET", "TARGET", "ACTOR", null)
        from severity in Gen.Elements(1.0, 3.9, 4.0, 5.0, 8.0)
        from ageMinutes in Gen.Choose(-30, 60 * 30)
        let details = addresses.Chunk(2).Select(pair => new RemoteIpDetails(pair[0], pair[1])).ToArray()
        select new ReceivedFinding("message", Envelope(), Finding(new FindingAction(kind is "network" or "all" ? new NetworkConnectionAction(direction, details[0]) : null,
            kind is "api" or "all" ? new RemoteIpAction(details[1]) : null,
            kind is "probe" or "all" ? new PortProbeAction([new PortProbeDetail(details[0]), new PortProbeDetail(details[2])]) : null,
            kind is "kubernetes" or "all" ? new RemoteIpAction(details[2]) : null,
            kind is "rds" or "all" ? new RemoteIpAction(details[1]) : null), role, severity, Now.AddMinutes(-ageMinutes)));

    public static Arbitrary<ReceivedFinding[]> Findings() => Gen.ArrayOf(AnyFinding()).ToArbitrary();
}
