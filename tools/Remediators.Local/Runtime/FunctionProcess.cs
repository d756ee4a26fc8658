using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Remediators.Local.Runtime;

/// <summary>
/// The function started the way the dotnet10 managed runtime starts an executable assembly:
/// <c>dotnet exec &lt;Handler&gt;.dll</c> from the artifacts folder, or, when the folder holds a <c>bootstrap</c>
/// (a Native AOT build), that executable, as the provided.al2023 runtime does.
/// </summary>
internal sealed class FunctionProcess : IDisposable
{
    public const string BootstrapFileName = "bootstrap";

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

    /// <summary>True when this is the folder's Native AOT <c>bootstrap</c>, false when <c>dotnet exec</c>.</summary>
    public bool IsNative { get; private init; }

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

    /// <summary>Starts <c>dotnet exec &lt;entryAssembly&gt;</c>, or the folder's <c>bootstrap</c> when <paramref name="preferBootstrap"/> and there is one.</summary>
    /// <param name="environment">Set on top of this process's own environment.</param>
    /// <param name="forward">Receives each output line as it arrives.</param>
    /// <exception cref="ConfigurationException">The folder holds neither the bootstrap asked for nor the entry assembly.</exception>
    public static FunctionProcess Start(
        string workingDirectory, string entryAssembly, bool preferBootstrap, IReadOnlyDictionary<string, string> environment, TextWriter forward)
    {
        var bootstrap = Path.Combine(workingDirectory, BootstrapFileName);
        var native = preferBootstrap && File.Exists(bootstrap);
        if (!native && !File.Exists(entryAssembly))
        {
            throw new ConfigurationException($"{workingDirectory} holds no {Path.GetFileName(entryAssembly)}{(preferBootstrap ? $" and no {BootstrapFileName}" : "")}: build the function first.");
        }

        var startInfo = new ProcessStartInfo(native ? bootstrap : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!native)
        {
            startInfo.ArgumentList.Add("exec");
            startInfo.ArgumentList.Add(entryAssembly);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            return new FunctionProcess(process, forward) { IsNative = native };
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>The process's peak resident memory so far (VmHWM), or null once it has exited or where /proc is not available.</summary>
    public long? PeakResidentBytes()
    {
        try
        {
            return _process.HasExited ? null : ParsePeakResidentBytes(File.ReadAllText($"/proc/{_process.Id}/status"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>VmHWM from the text of <c>/proc/&lt;pid&gt;/status</c> (e.g. <c>VmHWM:    52340 kB</c>), in bytes.</summary>
    public static long? ParsePeakResidentBytes(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["VmHWM:", var kilobytes, "kB"] && long.TryParse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value * 1024;
            }
        }

        return null;
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
