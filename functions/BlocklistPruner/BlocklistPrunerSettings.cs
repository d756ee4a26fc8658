using Remediators.Core.Blocklist;
using Remediators.Core.Remediation;

namespace BlocklistPruner;

public sealed record BlocklistPrunerSettings
{
    public RemediationMode Mode { get; init; } = RemediationMode.DryRun;
    public required BlocklistSettings Blocklist { get; init; }

    public static BlocklistPrunerSettings FromEnvironment(EnvironmentSettings env) =>
        new() { Mode = env.Mode(), Blocklist = BlocklistSettings.FromEnvironment(env) };
}
