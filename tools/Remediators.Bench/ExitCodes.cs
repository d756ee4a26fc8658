namespace Remediators.Bench;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A hard limit or a goal of the scenario was not met.</summary>
    public const int CheckFailed = 1;

    /// <summary>The scenario could not run: bad arguments, moto or a function build missing, template unusable.</summary>
    public const int CouldNotRun = 2;
}
