using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;

namespace AttackerIpBlocker;

public sealed record AttackerIpBlockerSettings
{
    public const string MinFindingSeverityVariable = "MIN_FINDING_SEVERITY";
    public const string FindingTypePrefixesVariable = "FINDING_TYPE_PREFIXES";
    public const string RetentionHoursVariable = "RETENTION_HOURS";
    public const string AllowlistCidrsVariable = "ALLOWLIST_CIDRS";
    public const string RefuseDocumentationRangesVariable = "REFUSE_DOCUMENTATION_RANGES";
    public const string NaclDenyVariable = "NACL_DENY";
    public const string BlockApiCallerFindingsVariable = "BLOCK_API_CALLER_FINDINGS";

    /// <summary>The stack parameter that sets <see cref="AllowlistCidrsVariable"/>: what a person on call edits to stop an address being blocked.</summary>
    public const string AllowlistCidrsParameter = "AttackerAllowlistCidrs";

    public RemediationMode Mode { get; init; } = RemediationMode.DryRun;
    public double MinFindingSeverity { get; init; } = 4.0;

    /// <summary>Empty means every finding type may block its attacker.</summary>
    public IReadOnlyList<string> FindingTypePrefixes { get; init; } = [];
    public int RetentionHours { get; init; } = 24;
    public AddressRules Addresses { get; init; } = AddressRules.Default;
    public bool NaclDeny { get; init; }

    /// <summary>Also block the callers of API-call findings (anomalous behaviour, Kubernetes API calls, RDS logins) not on a threat list.</summary>
    public bool BlockApiCallerFindings { get; init; }
    public required BlocklistSettings Blocklist { get; init; }

    public TimeSpan Retention => TimeSpan.FromHours(RetentionHours);

    public static AttackerIpBlockerSettings FromEnvironment(EnvironmentSettings env)
    {
        var defaults = new AttackerIpBlockerSettings { Blocklist = BlocklistSettings.FromEnvironment(env) };
        var allowlist = env.Cidrs(AllowlistCidrsVariable);
        if (allowlist.Any(c => c.PrefixLength == 0))
            throw new SettingsException(AllowlistCidrsVariable, "contains a /0, which would exempt every address", "List only the networks that must never be blocked; use Mode=dry-run to block nothing.");
        return new AttackerIpBlockerSettings
        {
            Mode = env.Mode(),
            MinFindingSeverity = env.Number(MinFindingSeverityVariable, defaults.MinFindingSeverity, 0, 10),
            FindingTypePrefixes = env.List(FindingTypePrefixesVariable),
            RetentionHours = env.WholeNumber(RetentionHoursVariable, defaults.RetentionHours, 1, 8760),
            Addresses = new AddressRules(allowlist, env.Flag(RefuseDocumentationRangesVariable, AddressRules.Default.RefuseDocumentationRanges)),
            NaclDeny = env.Flag(NaclDenyVariable, false),
            BlockApiCallerFindings = env.Flag(BlockApiCallerFindingsVariable, false),
            Blocklist = defaults.Blocklist,
        };
    }
}
