using System.Net;
using Remediators.Core.Remediation;

namespace PublicIngressRevoker;

public sealed record PublicIngressRevokerSettings
{
    public const string ConfigRuleNamesVariable = "CONFIG_RULE_NAMES";
    public const string PublicPrefixMaxLengthVariable = "PUBLIC_PREFIX_MAX_LENGTH";
    public const string AlbAllowedPortsVariable = "ALB_ALLOWED_PORTS";
    public const string AlbWideRulesVariable = "ALB_WIDE_RULES";
    public const string TrustedCidrsVariable = "TRUSTED_CIDRS";
    public const string ExemptTagKeyVariable = "EXEMPT_TAG_KEY";
    public const string ExemptTagValueVariable = "EXEMPT_TAG_VALUE";
    public const string ExemptGroupIdsVariable = "EXEMPT_GROUP_IDS";
    public const string MaxGroupsPerRunVariable = "MAX_GROUPS_PER_RUN";

    public RemediationMode Mode { get; init; } = RemediationMode.DryRun;
    public IReadOnlySet<string> ConfigRuleNames { get; init; } =
        new HashSet<string>(["restricted-ssh", "vpc-sg-open-only-to-authorized-ports", "restricted-common-ports"]);
    public int PublicPrefixMaxLength { get; init; }
    public IReadOnlyList<PortRange> AlbAllowedPorts { get; init; } = [new(80, 80), new(443, 443)];
    public AlbWideRuleHandling AlbWideRules { get; init; } = AlbWideRuleHandling.Narrow;
    public IReadOnlyList<IPNetwork> TrustedCidrs { get; init; } = [];
    public ExemptionPolicy Exemptions { get; init; } = ExemptionPolicy.None;
    public int MaxGroupsPerRun { get; init; } = 25;

    public static PublicIngressRevokerSettings FromEnvironment(EnvironmentSettings env)
    {
        var defaults = new PublicIngressRevokerSettings();
        var trusted = env.Cidrs(TrustedCidrsVariable);
        if (trusted.Any(c => c.PrefixLength == 0))
            throw new SettingsException(TrustedCidrsVariable, "contains a /0, which is the whole internet", "List only the networks you trust.");
        return new PublicIngressRevokerSettings
        {
            Mode = env.Mode(),
            ConfigRuleNames = env.List(ConfigRuleNamesVariable, [.. defaults.ConfigRuleNames]).ToHashSet(StringComparer.Ordinal),
            PublicPrefixMaxLength = env.WholeNumber(PublicPrefixMaxLengthVariable, 0, 0, 32),
            AlbAllowedPorts = ParsePorts(env),
            AlbWideRules = env.Optional(AlbWideRulesVariable)?.ToLowerInvariant() switch
            {
                null or "narrow" => AlbWideRuleHandling.Narrow,
                "report" => AlbWideRuleHandling.Report,
                var v => throw new SettingsException(AlbWideRulesVariable, $"'{v}' is not narrow or report", "Use narrow or report."),
            },
            TrustedCidrs = trusted,
            Exemptions = env.Exemptions(ExemptTagKeyVariable, ExemptTagValueVariable, ExemptGroupIdsVariable),
            MaxGroupsPerRun = env.WholeNumber(MaxGroupsPerRunVariable, defaults.MaxGroupsPerRun, 1, 1000),
        };
    }

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
