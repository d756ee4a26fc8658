using Remediators.Core.Remediation;

namespace UnusedKeyDisabler;

public sealed record UnusedKeyDisablerSettings
{
    public const string ConfigRuleNamesVariable = "CONFIG_RULE_NAMES";
    public const string FindingTypePrefixesVariable = "FINDING_TYPE_PREFIXES";
    public const string MinFindingSeverityVariable = "MIN_FINDING_SEVERITY";
    public const string MaxKeyAgeDaysVariable = "MAX_KEY_AGE_DAYS";
    public const string NeverUsedGraceDaysVariable = "NEVER_USED_GRACE_DAYS";
    public const string MaxKeysPerRunVariable = "MAX_KEYS_PER_RUN";
    public const string ExemptTagKeyVariable = "EXEMPT_TAG_KEY";
    public const string ExemptTagValueVariable = "EXEMPT_TAG_VALUE";
    public const string ExemptUserNamesVariable = "EXEMPT_USER_NAMES";
    public const string ExemptUserPathPrefixesVariable = "EXEMPT_USER_PATH_PREFIXES";

    public RemediationMode Mode { get; init; } = RemediationMode.DryRun;
    public IReadOnlySet<string> ConfigRuleNames { get; init; } =
        new HashSet<string>(["iam-user-unused-credentials-check", "access-keys-rotated"]);
    public IReadOnlyList<string> FindingTypePrefixes { get; init; } =
    [
        "UnauthorizedAccess:IAMUser/", "CredentialAccess:IAMUser/", "Exfiltration:IAMUser/", "Impact:IAMUser/",
        "Persistence:IAMUser/", "PrivilegeEscalation:IAMUser/", "Discovery:IAMUser/",
    ];
    public double MinFindingSeverity { get; init; } = 4.0;
    public int MaxKeyAgeDays { get; init; } = 90;
    public int NeverUsedGraceDays { get; init; } = 7;
    public int MaxKeysPerRun { get; init; } = 10;
    public ExemptionPolicy Exemptions { get; init; } = ExemptionPolicy.None;
    public IReadOnlyList<string> ExemptUserPathPrefixes { get; init; } = [];

    public TimeSpan MaxKeyAge => TimeSpan.FromDays(MaxKeyAgeDays);
    public TimeSpan NeverUsedGrace => TimeSpan.FromDays(NeverUsedGraceDays);

    public static UnusedKeyDisablerSettings FromEnvironment(EnvironmentSettings env)
    {
        var defaults = new UnusedKeyDisablerSettings();
        var pathPrefixes = env.List(ExemptUserPathPrefixesVariable);
        if (pathPrefixes.Any(p => !p.StartsWith('/')))
            throw new SettingsException(ExemptUserPathPrefixesVariable, "has a prefix that does not start with /", "Use IAM paths such as /service-accounts/.");
        return new UnusedKeyDisablerSettings
        {
            Mode = env.Mode(),
            ConfigRuleNames = env.List(ConfigRuleNamesVariable, [.. defaults.ConfigRuleNames]).ToHashSet(StringComparer.Ordinal),
            FindingTypePrefixes = env.List(FindingTypePrefixesVariable, defaults.FindingTypePrefixes),
            MinFindingSeverity = env.Number(MinFindingSeverityVariable, defaults.MinFindingSeverity, 0, 10),
            MaxKeyAgeDays = env.WholeNumber(MaxKeyAgeDaysVariable, defaults.MaxKeyAgeDays, 1, 3650),
            NeverUsedGraceDays = env.WholeNumber(NeverUsedGraceDaysVariable, defaults.NeverUsedGraceDays, 0, 3650),
            MaxKeysPerRun = env.WholeNumber(MaxKeysPerRunVariable, defaults.MaxKeysPerRun, 1, 1000),
            Exemptions = env.Exemptions(ExemptTagKeyVariable, ExemptTagValueVariable, ExemptUserNamesVariable),
            ExemptUserPathPrefixes = pathPrefixes,
        };
    }
}
