using Remediators.Core.Remediation;

namespace PublicIngressRevoker;

/// <summary>A subnet as the decision needs it.</summary>
/// <param name="PublicAddresses">Network interfaces in the subnet that hold a public IPv4 address now, as "eni-… (address)".</param>
public sealed record SubnetState(string SubnetId, string VpcId, bool MapPublicIpOnLaunch, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> PublicAddresses);

public enum SubnetPublicIpVerdict
{
    AlreadyOff,
    Exempt,
    Report,
    Disable,
}

public sealed record SubnetPublicIpDecision(SubnetPublicIpVerdict Verdict, string Reason);

/// <summary>The Decide step for subnets: pure, no AWS types.</summary>
public static class SubnetPublicIpPolicy
{
    public static SubnetPublicIpDecision Decide(SubnetState subnet, SubnetPublicIpSettings settings)
    {
        if (!subnet.MapPublicIpOnLaunch)
            return new(SubnetPublicIpVerdict.AlreadyOff, $"{subnet.SubnetId} does not auto-assign public IPv4 addresses");
        if (settings.Exemptions.ExemptionReason(subnet.SubnetId, subnet.Tags) is { } exempt)
            return new(SubnetPublicIpVerdict.Exempt, $"{exempt}, so it keeps auto-assigning public IPv4 addresses");
        return settings.Handling == SubnetPublicIpHandling.Disable
            ? new(SubnetPublicIpVerdict.Disable, $"instances launched in {subnet.SubnetId} get a public IPv4 address; {RunningText(subnet)}")
            : new(SubnetPublicIpVerdict.Report,
                $"reported for a person, not changed ({SubnetPublicIpSettings.HandlingVariable} is {settings.Handling.ToString().ToLowerInvariant()}): " +
                $"instances launched in {subnet.SubnetId} get a public IPv4 address; {RunningText(subnet)}");
    }

    /// <summary>Turning auto-assign off affects only instances launched later: those running keep their addresses, and none is stopped.</summary>
    public static string RunningText(SubnetState subnet) => subnet.PublicAddresses.Count switch
    {
        0 => "no network interface in it holds a public IPv4 address now",
        var n => $"{n} network interface(s) in it keep their public IPv4 address (nothing is stopped; release them by hand if they should not have one): " +
            string.Join(", ", subnet.PublicAddresses.Take(MaxListed)) + (n > MaxListed ? $" and {n - MaxListed} more" : ""),
    };

    private const int MaxListed = 10;
}
