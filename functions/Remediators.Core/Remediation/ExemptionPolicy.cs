namespace Remediators.Core.Remediation;

/// <summary>
/// Resources the remediations must never touch: those carrying the exemption tag (with the given value,
/// or any value when no value is configured) and those whose id or name is allowlisted.
/// </summary>
public sealed record ExemptionPolicy(string? TagKey, string? TagValue, IReadOnlySet<string> AllowedIds)
{
    public static readonly ExemptionPolicy None = new(null, null, new HashSet<string>());

    /// <summary>The reason <paramref name="resourceId"/> is exempt, or null when it is not.</summary>
    public string? ExemptionReason(string resourceId, IReadOnlyDictionary<string, string> tags)
    {
        if (AllowedIds.Contains(resourceId))
            return $"{resourceId} is on the allowlist";
        if (TagKey is null || !tags.TryGetValue(TagKey, out var value))
            return null;
        return TagValue is null || string.Equals(value, TagValue, StringComparison.OrdinalIgnoreCase)
            ? $"tagged {TagKey}={value}"
            : null;
    }
}
