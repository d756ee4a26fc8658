using Remediators.Local.Runtime;

namespace Remediators.Local.Build;

/// <summary>
/// Where one function's build output lives: <c>.local/artifacts/&lt;LogicalId&gt;/</c>, or <c>&lt;LogicalId&gt;-native/</c> for a build
/// with a Native AOT bootstrap, with its stamp beside it. Both builds of a function share one lock: each publishes the
/// function's JIT build through the same obj/ folder.
/// </summary>
/// <param name="EntryPoint">What the runtime starts: <c>&lt;Handler&gt;.dll</c>, or <c>bootstrap</c> in a native build.</param>
internal sealed record FunctionArtifacts(string Folder, string EntryPoint, string StampFile, string LockFile)
{
    public static FunctionArtifacts For(string repoRoot, string logicalId, string handler, bool native = false)
    {
        var artifactsRoot = Path.Combine(Path.GetFullPath(repoRoot), ".local", "artifacts");
        var name = native ? logicalId + "-native" : logicalId;
        var folder = Path.Combine(artifactsRoot, name);
        return new FunctionArtifacts(
            folder,
            Path.Combine(folder, native ? FunctionProcess.BootstrapFileName : handler + ".dll"),
            Path.Combine(artifactsRoot, name + ".stamp"),
            Path.Combine(artifactsRoot, logicalId + ".lock"));
    }
}
