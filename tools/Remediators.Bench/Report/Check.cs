namespace Remediators.Bench.Report;

/// <summary>One limit a scenario's result must meet: a hard limit the issue sets, or a goal. Either failing fails the run.</summary>
internal sealed record Check(string Name, string Observed, string Required, bool Passed)
{
    public static Check AtMost(string name, long observed, long limit, string unit = "") =>
        new(name, $"{observed}{unit}", $"<= {limit}{unit}", observed <= limit);

    public static Check Exactly(string name, long observed, long expected) =>
        new(name, observed.ToString(System.Globalization.CultureInfo.InvariantCulture), $"= {expected}", observed == expected);

    public static Check That(string name, bool holds, string observed, string required) => new(name, observed, required, holds);

    /// <summary>Prints the checks with PASS or FAIL each, and the verdict.</summary>
    /// <returns>The exit code: 0 when every check passed, else <see cref="ExitCodes.CheckFailed"/>.</returns>
    public static int Report(IReadOnlyList<Check> checks, TextWriter output)
    {
        var table = new TextTable("Check", "Observed", "Required", "");
        foreach (var check in checks)
            table.AddRow(check.Name, check.Observed, check.Required, check.Passed ? "PASS" : "FAIL");
        table.Write(output);
        var failed = checks.Count(c => !c.Passed);
        output.WriteLine(failed == 0 ? $"PASS: all {checks.Count} checks" : $"FAIL: {failed} of {checks.Count} checks");
        return failed == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
    }
}
