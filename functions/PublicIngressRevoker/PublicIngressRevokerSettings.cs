using System.Net;
using System.Net.Sockets;
using Remediators.Core.Remediation;

namespace PublicIngressRevoker;

public sealed record PublicIngressRevokerSettings
{
    public const string ConfigRuleNamesVariable = "CONFIG_RULE_NAMES";
    public const string PublicIpv4PercentVariable = "PUBLIC_IPV4_PERCENT";
    public const string PublicIpv6PercentVariable = "PUBLIC_IPV6_PERCENT";
    public const string AlbAllowedPortsVariable = "ALB_ALLOWED_PORTS";
    public const string AlbWideRulesVariable = "ALB_WIDE_RULES";
    public const string TrustedCidrsVariable = "TRUSTED_CIDRS";
    public const string ExemptTagKeyVariable = "EXEMPT_TAG_KEY";
    public const string ExemptTagValueVariable = "EXEMPT_TAG_VALUE";
    public const string ExemptGroupIdsVariable = "EXEMPT_GROUP_IDS";
    public const string MaxGroupsPerRunVariable = "MAX_GROUPS_PER_RUN";

    public RemediationMode Mode { get; init; } = RemediationMode.DryRun;
    public IReadOnlySet<string> ConfigRuleNames { get; init; } =
        new HashSet<string>(["restricted-ssh", "vpc-sg-open-only-to-authorized-ports", "restricted-common-ports", "subnet-auto-assign-public-ip-disabled"]);
    /// <summary>Percent of the public IPv4 space a group's rules must admit together on one protocol and port to count as public.</summary>
    public int PublicIpv4Percent { get; init; } = 100;
    public int PublicIpv6Percent { get; init; } = 100;
    public IReadOnlyList<PortRange> AlbAllowedPorts { get; init; } = [new(80, 80), new(443, 443)];
    public AlbWideRuleHandling AlbWideRules { get; init; } = AlbWideRuleHandling.Narrow;
    public IReadOnlyList<IPNetwork> TrustedCidrs { get; init; } = [];
    public ExemptionPolicy Exemptions { get; init; } = ExemptionPolicy.None;
    public int MaxGroupsPerRun { get; init; } = 25;
    public SubnetPublicIpSettings Subnets { get; init; } = new();

    public static PublicIngressRevokerSettings FromEnvironment(EnvironmentSettings env)
    {
        var defaults = new PublicIngressRevokerSettings();
        var settings = new PublicIngressRevokerSettings
        {
            Mode = env.Mode(),
            ConfigRuleNames = env.List(ConfigRuleNamesVariable, [.. defaults.ConfigRuleNames]).ToHashSet(StringComparer.Ordinal),
            PublicIpv4Percent = env.WholeNumber(PublicIpv4PercentVariable, defaults.PublicIpv4Percent, 1, 100),
            PublicIpv6Percent = env.WholeNumber(PublicIpv6PercentVariable, defaults.PublicIpv6Percent, 1, 100),
            AlbAllowedPorts = ParsePorts(env),
            AlbWideRules = env.Optional(AlbWideRulesVariable)?.ToLowerInvariant() switch
            {
                null or "narrow" => AlbWideRuleHandling.Narrow,
                "report" => AlbWideRuleHandling.Report,
                var v => throw new SettingsException(AlbWideRulesVariable, $"'{v}' is not narrow or report", "Use narrow or report."),
            },
            TrustedCidrs = env.Cidrs(TrustedCidrsVariable),
            Exemptions = env.Exemptions(ExemptTagKeyVariable, ExemptTagValueVariable, ExemptGroupIdsVariable),
            MaxGroupsPerRun = env.WholeNumber(MaxGroupsPerRunVariable, defaults.MaxGroupsPerRun, 1, 1000),
            Subnets = SubnetPublicIpSettings.FromEnvironment(env),
        };
        // A trusted network that is itself public would re-open what the revoker closes.
        if (settings.TrustedCidrs.Where(settings.IsPublicOnItsOwn).Select(n => n.ToString()).FirstOrDefault() is { } open)
            throw new SettingsException(TrustedCidrsVariable, $"contains {open}, which is open to the world by itself", "List only the networks you trust.");
        return settings;
    }

    public int PublicPercent(AddressFamily family) => family == AddressFamily.InterNetwork ? PublicIpv4Percent : PublicIpv6Percent;

    private bool IsPublicOnItsOwn(IPNetwork network) =>
        AddressBlock.TryParse(network.ToString()) is { } block && PublicAddressSpace.AdmitsAtLeast([block], block.Family, PublicPercent(block.Family));

    private static IReadOnlyList<PortRange> ParsePorts(EnvironmentSettings env)
    {
        try
        {
            return PortRange.Merge(env.List(AlbAllowedPortsVariable, ["80", "443"]).Select(PortRange.Parse));
        }
        catch (FormatException error)
        {
            throw new SettingsException(AlbAllowedPortsVariable, error.Message, "Use ports or ranges, comma-separated, e.g. 80,443.");
        }
    }
}

/// <summary>What to do with a public rule on an ALB group that holds the allowed ports and others (e.g. all traffic from 0.0.0.0/0).</summary>
public enum AlbWideRuleHandling
{
    /// <summary>Grant the allowed ports from the same CIDR, then revoke the wide rule.</summary>
    Narrow,

    /// <summary>Leave the wide rule alone and report it for a person.</summary>
    Report,
}
