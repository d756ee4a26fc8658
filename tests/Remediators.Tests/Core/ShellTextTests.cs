using System.Diagnostics;
using Remediators.Core.Remediation;

namespace Remediators.Tests.Core;

/// <summary>Quoted text reaches the program through bash exactly as it was, whatever shell syntax it holds.</summary>
public sealed class ShellTextTests
{
    [Theory]
    [InlineData("""{"Sid":"plain"}""")]
    [InlineData("O'Brien's")]
    [InlineData("''")]
    [InlineData("$HOME `id` $(id) \"quoted\" \\ ; | & * ? ~ !")]
    [InlineData("line one\nline two\ttab")]
    [InlineData("sécurité+ops")]
    [InlineData("")]
    public async Task Quote_ThroughBash_GivesTheTextBack(string text)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"printf %s {ShellText.Quote(text)}"]) { RedirectStandardOutput = true };
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.Equal(text, output);
    }
}
