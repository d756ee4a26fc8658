using System.ComponentModel;
using System.Diagnostics;

namespace Remediators.Local.Build;

/// <summary>
/// Builds a function with the repo's <c>make build-&lt;LogicalId&gt;</c> target, as <c>sam build</c> would, only when it is stale;
/// with <c>NATIVE_AOT=true</c> for a function on the provided.al2023 runtime.
/// </summary>
internal sealed class FunctionBuilder(TextWriter log, TimeProvider timeProvider)
{
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(200);

    public async Task<FunctionArtifacts> EnsureBuiltAsync(string repoRoot, string logicalId, string handler, bool native, CancellationToken cancellationToken)
    {
        var artifacts = FunctionArtifacts.For(repoRoot, logicalId, handler, native);
        Directory.CreateDirectory(artifacts.Folder);
        await using var buildLock = await AcquireLockAsync(artifacts.LockFile, logicalId, cancellationToken);
        if (!BuildStaleness.NeedsBuild(repoRoot, artifacts))
        {
            return artifacts;
        }

        // The stamp takes the build's start time, so a source edited while make runs still counts as newer than the build;
        // it is removed first so a failed or interrupted build is retried next time.
        var startedAt = timeProvider.GetUtcNow();
        File.Delete(artifacts.StampFile);
        await RunMakeAsync(repoRoot, logicalId, artifacts.Folder, native, cancellationToken);
        if (!File.Exists(artifacts.EntryPoint))
        {
            throw new BuildFailedException($"make build-{logicalId} succeeded but did not produce {artifacts.EntryPoint}; " +
                (native ? "check NATIVE_AOT in the Makefile." : "check Handler in template.yaml."));
        }

        await File.WriteAllTextAsync(artifacts.StampFile, "", cancellationToken);
        File.SetLastWriteTimeUtc(artifacts.StampFile, startedAt.UtcDateTime);
        return artifacts;
    }

    /// <summary>Holds an exclusive handle on the lock file, so concurrent invokes of one function build it once.</summary>
    private async Task<FileStream> AcquireLockAsync(string lockFile, string logicalId, CancellationToken cancellationToken)
    {
        var announced = false;
        while (true)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not DirectoryNotFoundException)
            {
                if (!announced)
                {
                    log.WriteLine($"Waiting for another build of {logicalId} to finish...");
                    announced = true;
                }

                await Task.Delay(LockRetryDelay, timeProvider, cancellationToken);
            }
        }
    }

    private async Task RunMakeAsync(string repoRoot, string logicalId, string artifactsFolder, bool native, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("make")
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add($"build-{logicalId}");
        startInfo.ArgumentList.Add($"ARTIFACTS_DIR={artifactsFolder}");
        if (native)
        {
            startInfo.ArgumentList.Add("NATIVE_AOT=true");
        }

        using var make = new Process { StartInfo = startInfo };
        make.OutputDataReceived += (_, line) => WriteLine(line.Data);
        make.ErrorDataReceived += (_, line) => WriteLine(line.Data);
        log.WriteLine($"Building {logicalId}: make {string.Join(' ', startInfo.ArgumentList)}");
        try
        {
            make.Start();
        }
        catch (Win32Exception e)
        {
            throw new BuildFailedException($"Could not start make: {e.Message}", e);
        }

        make.BeginOutputReadLine();
        make.BeginErrorReadLine();
        try
        {
            await make.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            make.Kill(entireProcessTree: true);
            throw;
        }

        if (make.ExitCode != 0)
        {
            throw new BuildFailedException($"make build-{logicalId} failed with exit code {make.ExitCode}.");
        }
    }

    private void WriteLine(string? line)
    {
        if (line is not null)
        {
            log.WriteLine(line);
        }
    }
}
