using Remediators.Core.Hosting;

namespace Remediators.Core.Remediation;

/// <summary>A function's Parse → Decide → Apply steps; the host adds timing and the Report step.</summary>
public interface IRemediation
{
    string FunctionName { get; }

    /// <summary>True in dry-run mode: the outcome of a failed run says so too.</summary>
    bool DryRun { get; }

    Task<Outcome> RunAsync(ReadOnlyMemory<byte> payload, InvocationContext context, CancellationToken cancellationToken);
}
