namespace Remediators.Local.Commands;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The function answered with an error, timed out, exited without answering, or did not build.</summary>
    public const int FunctionFailed = 1;

    /// <summary>The command line, template.yaml, samconfig.toml or an input file is unusable.</summary>
    public const int Usage = 2;
}
