namespace Remediators.Local.Build;

internal static class BuildStaleness
{
    private static readonly string[] RepoRootInputs = ["Directory.Build.props", "Directory.Packages.props", "global.json", "Makefile"];
    private static readonly string[] OutputFolderNames = ["bin", "obj"];

    /// <summary>True when the entry point or the stamp is missing, or any build input changed after the stamp.</summary>
    public static bool NeedsBuild(string repoRoot, FunctionArtifacts artifacts)
    {
        if (!File.Exists(artifacts.EntryPoint) || !File.Exists(artifacts.StampFile))
        {
            return true;
        }

        var builtAt = File.GetLastWriteTimeUtc(artifacts.StampFile);
        return Inputs(repoRoot).Any(input => File.GetLastWriteTimeUtc(input) > builtAt);
    }

    /// <summary>The repo-wide build files and every file under functions/ except bin/ and obj/ output.</summary>
    public static IEnumerable<string> Inputs(string repoRoot)
    {
        var rootFiles = RepoRootInputs.Select(name => Path.Combine(repoRoot, name)).Where(File.Exists);
        var functions = Path.Combine(repoRoot, "functions");
        return Directory.Exists(functions) ? rootFiles.Concat(SourceFiles(functions)) : rootFiles;
    }

    private static IEnumerable<string> SourceFiles(string folder)
    {
        var pending = new Stack<string>([folder]);
        while (pending.TryPop(out var current))
        {
            foreach (var file in Directory.EnumerateFiles(current))
            {
                yield return file;
            }

            foreach (var child in Directory.EnumerateDirectories(current))
            {
                if (!OutputFolderNames.Contains(Path.GetFileName(child), StringComparer.Ordinal))
                {
                    pending.Push(child);
                }
            }
        }
    }
}
