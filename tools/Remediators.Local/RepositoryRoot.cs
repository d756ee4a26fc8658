namespace Remediators.Local;

internal static class RepositoryRoot
{
    public const string TemplateFileName = "template.yaml";

    public static string Find(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, TemplateFileName)))
            {
                return directory.FullName;
            }
        }

        throw new ConfigurationException($"No {TemplateFileName} found in {startDirectory} or any folder above it.");
    }
}
