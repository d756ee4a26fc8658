using System.Diagnostics;
using Remediators.Local.Build;

namespace Remediators.Bench.Scenarios.ColdStart;

/// <summary>One way of publishing a function for Lambda.</summary>
/// <param name="Name">As given to --variants.</param>
/// <param name="PublishProperties">MSBuild properties of its <c>dotnet publish</c>; null means the function's make target (what SAM builds).</param>
/// <param name="IsNative">Publishes one native executable, run as <c>bootstrap</c>.</param>
internal sealed record PublishedVariant(string Name, string Description, IReadOnlyList<string>? PublishProperties, bool IsNative = false)
{
    public static readonly PublishedVariant Jit = new("jit", "framework-dependent, JIT (make target, dotnet10)", null);

    public static readonly PublishedVariant ReadyToRun = new("r2r", "framework-dependent, ReadyToRun (dotnet10)", ["PublishReadyToRun=true", "SelfContained=false"]);

    public static readonly PublishedVariant NativeAot = new("aot", "Native AOT bootstrap (provided.al2023)", ["PublishAot=true"], IsNative: true);

    public static readonly IReadOnlyList<PublishedVariant> All = [Jit, ReadyToRun, NativeAot];

    private const string BootstrapFileName = "bootstrap";

    /// <summary>
    /// Publishes the function this way into <c>.local/bench/cold-start/&lt;name&gt;/out</c> unless that is newer than every build
    /// input, with its own intermediate folders so it cannot disturb the regular builds. A Native AOT executable is renamed
    /// <c>bootstrap</c>, as provided.al2023 expects.
    /// </summary>
    /// <returns>The folder to run, or null for <see cref="Jit"/>, which runs the make build.</returns>
    /// <exception cref="BuildFailedException">dotnet publish failed; the message carries its output.</exception>
    public async Task<string?> EnsurePublishedAsync(string repoRoot, string function, CancellationToken cancellationToken)
    {
        if (PublishProperties is null)
            return null;
        var root = Path.Combine(repoRoot, ".local", "bench", "cold-start", Name);
        var output = Path.Combine(root, "out");
        var stamp = Path.Combine(root, "published.stamp");
        if (File.Exists(stamp) && BuildStaleness.Inputs(repoRoot).All(input => File.GetLastWriteTimeUtc(input) <= File.GetLastWriteTimeUtc(stamp)))
            return output;

        var startedAt = DateTime.UtcNow;
        Directory.CreateDirectory(root);
        File.Delete(stamp);
        if (Directory.Exists(output))
            Directory.Delete(output, recursive: true);
        await PublishAsync(repoRoot, function, root, output, cancellationToken);
        if (IsNative)
            File.Move(Path.Combine(output, function), Path.Combine(output, BootstrapFileName));
        await File.WriteAllTextAsync(stamp, "", cancellationToken);
        File.SetLastWriteTimeUtc(stamp, startedAt);
        return output;
    }

    /// <summary>What Lambda would load: every file but debug symbols.</summary>
    public static long PackageBytes(string folder) =>
        Directory.EnumerateFiles(folder).Where(f => Path.GetExtension(f) is not (".pdb" or ".dbg")).Sum(f => new FileInfo(f).Length);

    private async Task PublishAsync(string repoRoot, string function, string root, string output, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "publish", Path.Combine("functions", function, function + ".csproj"), "-c", "Release", "-r", "linux-x64",
            "--artifacts-path", Path.Combine(root, "build"), "-o", output,
        }.Concat(PublishProperties!.Select(p => "-p:" + p)))
        {
            start.ArgumentList.Add(argument);
        }
        using var publish = Process.Start(start)!;
        string[] log;
        try
        {
            log = await Task.WhenAll(publish.StandardOutput.ReadToEndAsync(cancellationToken), publish.StandardError.ReadToEndAsync(cancellationToken));
            await publish.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            throw;
        }
        if (publish.ExitCode != 0)
            throw new BuildFailedException($"dotnet publish of {function} as {Description} failed with exit code {publish.ExitCode}:\n{log[0]}{log[1]}");
    }
}
