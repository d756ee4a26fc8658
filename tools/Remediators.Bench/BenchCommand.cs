using Remediators.Bench.Report;
using Remediators.Local;
using Remediators.Local.Build;

namespace Remediators.Bench;

/// <summary>Runs one scenario from the command line: prints its report and checks, and turns the outcome into an exit code.</summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(Func<string, TextWriter, CancellationToken, Task<IReadOnlyList<Check>>> scenario, CancellationToken cancellationToken)
    {
        try
        {
            var repoRoot = RepositoryRoot.Find(Directory.GetCurrentDirectory());
            var checks = await scenario(repoRoot, Console.Out, cancellationToken);
            return Check.Report(checks, Console.Out);
        }
        catch (Exception e) when (e is ConfigurationException or BuildFailedException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.CouldNotRun;
        }
    }
}
