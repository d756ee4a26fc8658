using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;

namespace BlocklistPruner;

public sealed record BlocklistPrunerSettings
{
    /// <summary>The blocker's AttackerNaclDeny: only while it is on may the pruner delete ACL entries (its IAM grant follows it).</summary>
    public const string NaclDenyVariable = "NACL_DENY";

    public RemediationMode Mode { get; init; } = RemediationMode.DryRun;
    public bool NaclDeny { get; init; }
    public required BlocklistSettings Blocklist { get; init; }

    public static BlocklistPrunerSettings FromEnvironment(EnvironmentSettings env) =>
        new() { Mode = env.Mode(), NaclDeny = env.Flag(NaclDenyVariable, false), Blocklist = BlocklistSettings.FromEnvironment(env) };
}
