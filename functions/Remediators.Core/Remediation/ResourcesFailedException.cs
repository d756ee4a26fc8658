namespace Remediators.Core.Remediation;

/// <summary>Some resources of a reported outcome failed: the invocation fails so that Lambda retries it and the DLQ catches it.</summary>
public sealed class ResourcesFailedException(IReadOnlyList<ResourceResult> failed)
    : Exception($"{failed.Count} resource(s) failed; the outcome record lists every result: " +
        string.Join("; ", failed.Take(5).Select(r => $"{r.ResourceId} ({r.Error})")) + (failed.Count > 5 ? "; ..." : ""))
{
    public IReadOnlyList<ResourceResult> Failed { get; } = failed;
}
