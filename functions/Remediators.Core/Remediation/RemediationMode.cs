namespace Remediators.Core.Remediation;

/// <summary>Enforce applies plans; dry-run (the default) logs them and calls nothing that mutates.</summary>
public enum RemediationMode
{
    DryRun,
    Enforce,
}

public static class RemediationModes
{
    public const string Variable = "MODE";
}
