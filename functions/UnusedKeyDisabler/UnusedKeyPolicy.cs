using System.Globalization;

namespace UnusedKeyDisabler;

/// <summary>A key as the policy sees it (no AWS types): <see cref="LastUsed"/> is null for a key never used.</summary>
public sealed record KeyUsage(string UserName, string AccessKeyId, bool IsActive, DateTimeOffset CreateDate, DateTimeOffset? LastUsed)
{
    public DateTimeOffset LastActivity => LastUsed ?? CreateDate;

    public string ActivityText => LastUsed is { } used
        ? $"last used {Iso(used)}"
        : $"never used, created {Iso(CreateDate)}";

    internal static string Iso(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

/// <summary>The pure decision: which keys are unused, which users are exempt, and how many keys one run may touch.</summary>
public static class UnusedKeyPolicy
{
    /// <summary>
    /// Active, and its last use (or creation, if never used) is more than MaxKeyAgeDays before <paramref name="now"/>;
    /// a never-used key younger than the grace period is kept whatever MaxKeyAgeDays says.
    /// </summary>
    public static bool IsUnused(KeyUsage key, DateTimeOffset now, UnusedKeyDisablerSettings settings) =>
        key.IsActive && IsStale(key.LastActivity, key.LastUsed is null, now, settings);

    /// <summary>
    /// Whether the credential report suggests the user may hold an unused key. The report can be hours old and rounds to
    /// the second, so this only picks candidates; each key is confirmed with its live last use before anything changes.
    /// </summary>
    public static bool IsCandidate(ReportedUser user, DateTimeOffset now, UnusedKeyDisablerSettings settings) =>
        user.ActiveKeys.Any(key => IsStale(key.LastActivity, key.LastUsed is null, now, settings));

    public static string UnusedReason(KeyUsage key, DateTimeOffset now, UnusedKeyDisablerSettings settings)
    {
        var days = (int)Math.Floor((now - key.LastActivity).TotalDays);
        return $"{key.ActivityText}: {days} days ago, more than {settings.MaxKeyAgeDays} days";
    }

    /// <summary>Why a user must not be touched (name allowlist, path prefix, tag), or null.</summary>
    public static string? ExemptionReason(string userName, string path, IReadOnlyDictionary<string, string> tags, UnusedKeyDisablerSettings settings)
    {
        // IAM user names are unique regardless of case, so BreakGlass is the user an allowlisted breakglass means.
        if (settings.Exemptions.AllowedIds.FirstOrDefault(name => string.Equals(name, userName, StringComparison.OrdinalIgnoreCase)) is { } exemptName)
            return exemptName == userName ? $"{userName} is on the allowlist" : $"{userName} is on the allowlist as {exemptName}";
        if (settings.ExemptUserPathPrefixes.FirstOrDefault(prefix => IsUnderPath(path, prefix)) is { } exemptPath)
            return $"user path {path} is under exempt path {exemptPath}";
        return settings.Exemptions.ExemptionReason(userName, tags);
    }

    /// <summary>
    /// Whether <paramref name="path"/> lies under <paramref name="prefix"/> on whole segments: <c>/svc</c> and <c>/svc/</c>
    /// cover <c>/svc/</c> and <c>/svc/x/</c>, never <c>/svc-legacy/</c>. IAM paths are case-sensitive.
    /// </summary>
    public static bool IsUnderPath(string path, string prefix) =>
        Segmented(path).StartsWith(Segmented(prefix), StringComparison.Ordinal);

    private static string Segmented(string path) => path.EndsWith('/') ? path : path + "/";

    /// <summary>Oldest activity first, then by key id, so every run tries keys in the same order.</summary>
    public static IReadOnlyList<KeyUsage> Order(IEnumerable<KeyUsage> unused) =>
        [.. unused.OrderBy(k => k.LastActivity).ThenBy(k => k.AccessKeyId, StringComparer.Ordinal)];

    /// <summary>
    /// Whether one more deactivation may be tried: the cap counts keys deactivated, not failed attempts (they changed
    /// nothing), and as many failures as the cap end the run's attempts.
    /// </summary>
    public static bool MayAttempt(int deactivated, int failed, int maxKeysPerRun) => deactivated < maxKeysPerRun && failed < maxKeysPerRun;

    private static bool IsStale(DateTimeOffset lastActivity, bool neverUsed, DateTimeOffset now, UnusedKeyDisablerSettings settings)
    {
        var age = now - lastActivity;
        return age > settings.MaxKeyAge && !(neverUsed && age < settings.NeverUsedGrace);
    }
}
