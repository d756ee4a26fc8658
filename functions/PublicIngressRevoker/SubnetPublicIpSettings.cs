using System.Text.RegularExpressions;
using Remediators.Core.Remediation;

namespace PublicIngressRevoker;

/// <summary>What the revoker does about subnets that give every instance launched in them a public IPv4 address (Security Hub EC2.15).</summary>
public enum SubnetPublicIpHandling
{
    /// <summary>Report subnets that auto-assign public addresses and change nothing.</summary>
    Report,

    /// <summary>Turn MapPublicIpOnLaunch off on subnets that are not exempt.</summary>
    Disable,

    /// <summary>Ignore subnet events before any AWS call.</summary>
    Off,
}

public sealed partial record SubnetPublicIpSettings
{
    public const string HandlingVariable = "SUBNET_AUTO_ASSIGN_PUBLIC_IP";
    public const string AllowedSubnetIdsVariable = "SUBNET_PUBLIC_IP_ALLOWED_SUBNET_IDS";

    public SubnetPublicIpHandling Handling { get; init; } = SubnetPublicIpHandling.Report;

    /// <summary>The revoker's tag exemption, with the subnets allowed to keep auto-assigning (a bastion's) as the id allowlist.</summary>
    public ExemptionPolicy Exemptions { get; init; } = ExemptionPolicy.None;

    public static SubnetPublicIpSettings FromEnvironment(EnvironmentSettings env)
    {
        var settings = new SubnetPublicIpSettings
        {
            Handling = env.Optional(HandlingVariable)?.ToLowerInvariant() switch
            {
                null or "report" => SubnetPublicIpHandling.Report,
                "disable" => SubnetPublicIpHandling.Disable,
                "off" => SubnetPublicIpHandling.Off,
                var v => throw new SettingsException(HandlingVariable, $"'{v}' is not report, disable or off", "Use report, disable or off."),
            },
            Exemptions = env.Exemptions(PublicIngressRevokerSettings.ExemptTagKeyVariable, PublicIngressRevokerSettings.ExemptTagValueVariable, AllowedSubnetIdsVariable),
        };
        // A mistyped id would silently exempt nothing, and the subnet it meant would lose its addresses on launch.
        if (settings.Exemptions.AllowedIds.FirstOrDefault(id => !IsSubnetId(id)) is { } malformed)
            throw new SettingsException(AllowedSubnetIdsVariable, $"'{malformed}' is not a subnet id", "List subnet ids such as subnet-0123456789abcdef0, comma-separated.");
        return settings;
    }

    public static bool IsSubnetId(string id) => SubnetIdPattern().IsMatch(id);

    [GeneratedRegex(@"^subnet-[0-9a-f]{8,17}\z")]
    private static partial Regex SubnetIdPattern();
}
