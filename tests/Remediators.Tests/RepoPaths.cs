namespace Remediators.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Events => Path.Combine(Root, "events");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "template.yaml")))
                return dir.FullName;
        throw new InvalidOperationException("template.yaml not found above the test output folder.");
    }
}
