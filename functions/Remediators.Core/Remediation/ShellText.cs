namespace Remediators.Core.Remediation;

/// <summary>Text put into a printed command so that a POSIX shell passes it to the program unchanged, whatever it holds.</summary>
public static class ShellText
{
    /// <summary>The text in single quotes, each single quote in it written as <c>'\''</c>.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
