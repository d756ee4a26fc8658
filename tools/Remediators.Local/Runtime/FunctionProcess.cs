using System.Diagnostics;
using System.Text;

namespace Remediators.Local.Runtime;

/// <summary>
/// The function started the way the dotnet10 managed runtime starts an executable assembly:
/// <c>dotnet exec &lt;Handler&gt;.dll</c> from the artifacts folder.
/// </summary>
internal sealed class FunctionProcess : IDisposable
{
    private readonly Process _process;
    private readonly TextWriter _forward;
    private readonly StringBuilder _logs = new();

    private FunctionProcess(Process process, TextWriter forward)
    {
        _process = process;
        _forward = forward;
        _process.OutputDataReceived += (_, line) => Record(line.Data);
        _process.ErrorDataReceived += (_, line) => Record(line.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Exited = _process.WaitForExitAsync();
    }

    /// <summary>Completes once the process has exited and its output is fully read.</summary>
    public Task Exited { get; }

    public int ExitCode => _process.ExitCode;

    /// <summary>The function's stdout and stderr lines, interleaved as they arrived.</summary>
    public string Logs
    {
        get
        {
            lock (_logs)
            {
                return _logs.ToString();
            }
        }
    }

    /// <param name="environment">Set on top of this process's own environment.</param>
    /// <param name="forward">Receives each output line as it arrives.</param>
    public static FunctionProcess Start(string workingDirectory, string entryAssembly, IReadOnlyDictionary<string, string> environment, TextWriter forward)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("exec");
        startInfo.ArgumentList.Add(entryAssembly);
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            return new FunctionProcess(process, forward);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public async Task StopAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await Exited;
    }

    public void Dispose() => _process.Dispose();

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logs)
        {
            _logs.AppendLine(line);
        }

        _forward.WriteLine(line);
    }
}
