using Remediators.Bench.Harness;

namespace Remediators.Bench.Scenarios.ApiCalls;

/// <summary>A sample ready to run: its invocation (placeholders replaced by what was seeded) and the status it must end with.</summary>
internal sealed record SampleRun(BenchInvocation Invocation, string ExpectedStatus);

/// <summary>Seeds what one function's samples in events/ describe, so each sample takes its remediation path.</summary>
internal interface ISampleSeeds
{
    /// <summary>The folder under events/ holding the function's samples.</summary>
    string Folder { get; }

    string Function { get; }

    /// <returns>The run, or null when no seeding is known for <paramref name="sample"/> (a new sample needs one).</returns>
    Task<SampleRun?> PrepareAsync(BenchAccount account, string sample, CancellationToken cancellationToken);
}

internal static class SampleParameters
{
    public static Dictionary<string, string> Enforce(params (string Name, string Value)[] more)
    {
        var parameters = new Dictionary<string, string> { ["Mode"] = "enforce" };
        foreach (var (name, value) in more)
            parameters[name] = value;
        return parameters;
    }

    /// <summary>A name no earlier sample used: the account is shared by every sample of a run.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
