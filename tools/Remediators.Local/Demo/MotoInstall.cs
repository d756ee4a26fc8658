using System.Diagnostics;
using Remediators.Local.Emulator;

namespace Remediators.Local.Demo;

/// <summary>Makes sure Python 3 can run moto's server, installing it with pip only when it is missing.</summary>
internal static class MotoInstall
{
    public const string Package = "moto[server]==5.2.1";

    /// <returns>What was done, for the progress line.</returns>
    /// <exception cref="ConfigurationException">Python 3 is missing or pip could not install moto.</exception>
    public static async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        if (await RunAsync(["-c", "import moto.server"], cancellationToken) == 0)
            return "moto's server is installed";
        if (await RunAsync(["-m", "pip", "install", "--quiet", Package], cancellationToken) != 0
            || await RunAsync(["-c", "import moto.server"], cancellationToken) != 0)
        {
            throw new ConfigurationException($"could not install {Package} with `{LocalMoto.Python} -m pip`; install it by hand and run the demo again.");
        }
        return $"installed {Package} with pip";
    }

    private static async Task<int> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(LocalMoto.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            await Task.WhenAll(process.StandardOutput.ReadToEndAsync(cancellationToken), process.StandardError.ReadToEndAsync(cancellationToken));
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ConfigurationException($"{LocalMoto.Python} is not on PATH ({e.Message}); the demo needs Python 3 to run moto.", e);
        }
    }
}
