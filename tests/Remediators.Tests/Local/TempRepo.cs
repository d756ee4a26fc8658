namespace Remediators.Tests.Local;

/// <summary>A throwaway repository folder for tests that need template.yaml, samconfig.toml or build inputs on disk.</summary>
internal sealed class TempRepo : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("remediators-local-").FullName;

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
