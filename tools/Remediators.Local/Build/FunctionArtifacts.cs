namespace Remediators.Local.Build;

/// <summary>Where one function's build output lives: <c>.local/artifacts/&lt;LogicalId&gt;/</c>, with its stamp and lock beside it.</summary>
internal sealed record FunctionArtifacts(string Folder, string EntryAssembly, string StampFile, string LockFile)
{
    public static FunctionArtifacts For(string repoRoot, string logicalId, string handler)
    {
        var artifactsRoot = Path.Combine(Path.GetFullPath(repoRoot), ".local", "artifacts");
        var folder = Path.Combine(artifactsRoot, logicalId);
        return new FunctionArtifacts(
            folder,
            Path.Combine(folder, handler + ".dll"),
            Path.Combine(artifactsRoot, logicalId + ".stamp"),
            Path.Combine(artifactsRoot, logicalId + ".lock"));
    }
}
