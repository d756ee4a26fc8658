namespace Remediators.Local.Commands;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The function answered with an error, timed out, exited without answering, or did not build.</summary>
    public const int FunctionFailed = 1;

    /// <summary>The command line, template.yaml, samconfig.toml or an input file is unusable.</summary>
    public const int Usage = 2;
}

internal static class CommandErrors
{
    /// <summary>Runs a command's body, turning the errors a user can fix into one line on stderr and an exit code.</summary>
    public static async Task<int> ReportAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Build.BuildFailedException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.FunctionFailed;
        }
    }
}
