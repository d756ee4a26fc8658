using Remediators.Core.Remediation;

namespace Remediators.Core.Sweeps;

/// <summary>
/// The function's own work queue, set by template.yaml only under MemberTargetsOn: its schedule then dispatches one message
/// per target there, and it takes work messages from that queue alone. Unset (the default), the schedule runs as before.
/// </summary>
public sealed record SweepSettings(string QueueUrl, string QueueArn)
{
    public const string QueueUrlVariable = "SWEEP_QUEUE_URL";
    public const string QueueArnVariable = "SWEEP_QUEUE_ARN";

    /// <summary>Null when the schedule is not fanned out; a half-set pair fails at start-up.</summary>
    public static SweepSettings? FromEnvironment(EnvironmentSettings env)
    {
        var url = env.Optional(QueueUrlVariable);
        var arn = env.Optional(QueueArnVariable);
        if (url is null && arn is null)
            return null;
        if (url is null || arn is null)
            throw new SettingsException(url is null ? QueueUrlVariable : QueueArnVariable, "is not set but its pair is",
                $"Set both {QueueUrlVariable} and {QueueArnVariable} to the function's work queue (template.yaml does), or neither.");
        if (!arn.StartsWith("arn:", StringComparison.Ordinal) || arn.Split(':') is not [_, _, "sqs", _, _, _])
            throw new SettingsException(QueueArnVariable, $"'{arn}' is not an SQS queue ARN", "Use the work queue's ARN (arn:aws:sqs:<region>:<account>:<name>).");
        return new SweepSettings(url, arn);
    }
}
