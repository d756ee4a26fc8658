using System.Globalization;
using Remediators.Core.Aws;

namespace Remediators.Core.Remediation;

/// <summary>
/// Where a function takes "now" from: the system clock, or — in tests only — the fixed instant of
/// <see cref="Variable"/>. The instant is honoured only when every service the function calls goes to a loopback
/// emulator; anywhere else it stops the function at start-up, so it can never make real resources look older than they are.
/// </summary>
public static class TestClock
{
    public const string Variable = "REMEDIATORS_TEST_NOW";

    /// <param name="serviceEnvironmentIds">Suffixes of <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c> of every service the function calls (IAM, EC2, S3...).</param>
    public static TimeProvider FromEnvironment(EnvironmentSettings env, params string[] serviceEnvironmentIds)
    {
        if (env.Optional(Variable) is not { } text)
            return TimeProvider.System;
        var remote = serviceEnvironmentIds.Where(id => AwsEndpoints.Configured(id, env.Optional) is not { IsLoopback: true }).ToList();
        if (remote.Count > 0 || serviceEnvironmentIds.Length == 0)
            throw new SettingsException(Variable, $"is set but {(remote.Count > 0 ? string.Join(", ", remote) : "the function's")} calls do not go to a loopback emulator",
                "Unset it: it exists only for tests against a local emulator.");
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var now))
            throw new SettingsException(Variable, $"'{text}' is not an ISO 8601 instant", "Use e.g. 2026-01-31T12:00:00Z.");
        return new FixedNow(now);
    }

    /// <summary>A clock whose "now" is fixed; timers and elapsed time still run on the system clock.</summary>
    public sealed class FixedNow(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
