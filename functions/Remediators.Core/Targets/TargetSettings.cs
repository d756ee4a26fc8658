using System.Text.RegularExpressions;
using Remediators.Core.Aws;
using Remediators.Core.Remediation;

namespace Remediators.Core.Targets;

/// <summary>
/// Which accounts and regions beyond its own a (hub) function may act in, and the role it assumes there. The defaults are
/// today's single-account use: only the function's own account and region.
/// </summary>
public sealed partial record TargetSettings
{
    public const string TargetAccountsVariable = "TARGET_ACCOUNTS";
    public const string TargetRegionsVariable = "TARGET_REGIONS";
    public const string OrganizationIdVariable = "ORGANIZATION_ID";
    public const string MemberRolePrefixVariable = "MEMBER_ROLE_PREFIX";
    public const string OrganizationKeyword = "organization";
    public const string DefaultMemberRolePrefix = "remediators-";

    /// <summary>IAM role names are at most 64 characters; the longest function name (a template logical id) is 20.</summary>
    public const int MaxMemberRolePrefixLength = 64 - 20;

    public static readonly TargetSettings OwnAccountOnly = new();

    /// <summary>Accounts listed in TARGET_ACCOUNTS; empty in organization mode.</summary>
    public IReadOnlySet<string> Accounts { get; init; } = new HashSet<string>();

    /// <summary>TARGET_ACCOUNTS = organization: any active member of <see cref="OrganizationId"/>.</summary>
    public bool WholeOrganization { get; init; }

    public IReadOnlySet<string> Regions { get; init; } = new HashSet<string>();

    public string? OrganizationId { get; init; }

    public string MemberRolePrefix { get; init; } = DefaultMemberRolePrefix;

    /// <summary>True when no account but the function's own may be a target (the default).</summary>
    public bool IsOwnAccountOnly => !WholeOrganization && Accounts.Count == 0;

    /// <param name="env">Read at start-up: a bad value stops the function with a message naming the variable and the fix.</param>
    public static TargetSettings FromEnvironment(EnvironmentSettings env)
    {
        var accounts = env.List(TargetAccountsVariable);
        var wholeOrganization = accounts.Any(a => a.Equals(OrganizationKeyword, StringComparison.OrdinalIgnoreCase));
        if (wholeOrganization && accounts.Count > 1)
            throw new SettingsException(TargetAccountsVariable, $"mixes '{OrganizationKeyword}' with account ids",
                $"Use either {OrganizationKeyword} or a comma-separated list of 12-digit account ids.");
        if (!wholeOrganization && accounts.FirstOrDefault(a => !AccountIdPattern().IsMatch(a)) is { } notAnAccount)
            throw new SettingsException(TargetAccountsVariable, $"'{notAnAccount}' is not a 12-digit account id",
                $"Use empty (this account only), {OrganizationKeyword}, or a comma-separated list of 12-digit account ids.");

        var regions = env.List(TargetRegionsVariable);
        if (regions.FirstOrDefault(r => !AwsEndpoints.IsRegion(r)) is { } notARegion)
            throw new SettingsException(TargetRegionsVariable, $"'{notARegion}' is not an AWS region",
                "Use empty (this region only) or a comma-separated list of regions such as eu-west-1.");

        var organizationId = env.Optional(OrganizationIdVariable);
        if (organizationId is not null && !OrganizationIdPattern().IsMatch(organizationId))
            throw new SettingsException(OrganizationIdVariable, $"'{organizationId}' is not an organization id",
                "Use the id AWS Organizations shows, such as o-a1b2c3d4e5.");
        if (wholeOrganization && organizationId is null)
            throw new SettingsException(OrganizationIdVariable, $"is not set but {TargetAccountsVariable} is {OrganizationKeyword}",
                "Set it to your organization's id (o-...), or list the target accounts instead.");

        var prefix = env.Optional(MemberRolePrefixVariable) ?? DefaultMemberRolePrefix;
        if (prefix.Length > MaxMemberRolePrefixLength || !RoleNamePattern().IsMatch(prefix))
            throw new SettingsException(MemberRolePrefixVariable, $"'{prefix}' cannot start an IAM role name",
                $"Use at most {MaxMemberRolePrefixLength} of the characters A-Z a-z 0-9 + = , . @ _ -, as member-roles.yaml's MemberRolePrefix.");

        return new TargetSettings
        {
            Accounts = wholeOrganization ? new HashSet<string>() : accounts.ToHashSet(StringComparer.Ordinal),
            WholeOrganization = wholeOrganization,
            Regions = regions.ToHashSet(StringComparer.Ordinal),
            OrganizationId = organizationId,
            MemberRolePrefix = prefix,
        };
    }

    [GeneratedRegex(@"^[0-9]{12}\z")]
    internal static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^o-[a-z0-9]{10,32}\z")]
    private static partial Regex OrganizationIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9+=,.@_-]+\z")]
    private static partial Regex RoleNamePattern();
}
