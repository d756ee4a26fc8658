using Remediators.Core.Aws;
using Remediators.Core.Remediation;

namespace UnusedKeyDisabler;

/// <summary>
/// Gathers only the state the decision needs (report first, per-user calls for candidates only), decides,
/// and deactivates within the cap (or only reports the plan in dry-run).
/// </summary>
internal sealed class KeyDisabling(UnusedKeyDisablerSettings settings, IAccessKeyGateway gateway, DateTimeOffset now, bool dryRun)
{
    public const string DeactivateAction = "DeactivateAccessKey";

    private readonly List<ResourceResult> _results = [];

    /// <summary>Full-account scan: the credential report picks candidate users; only they get per-user and per-key calls.</summary>
    public async Task<IReadOnlyList<ResourceResult>> ScanAsync(CancellationToken cancellationToken)
    {
        var unused = new List<(KeyUsage Key, string Reason)>();
        var report = await gateway.ReadCredentialReportAsync(cancellationToken);
        foreach (var user in report.Where(u => UnusedKeyPolicy.IsCandidate(u, now, settings)).OrderBy(u => u.UserName, StringComparer.Ordinal))
            unused.AddRange(await UnusedKeysOfAsync(user.UserName, user.Path, cancellationToken));
        await ApplyAsync(unused, cancellationToken);
        return _results;
    }

    /// <summary>One user, as a Config rule names it.</summary>
    public async Task<IReadOnlyList<ResourceResult>> UserAsync(IamUser user, CancellationToken cancellationToken)
    {
        await ApplyAsync(await UnusedKeysOfAsync(user.UserName, user.Path, cancellationToken), cancellationToken);
        return _results;
    }

    /// <summary>A key GuardDuty reports as compromised: deactivated whether or not it is in use, unless its user is exempt.</summary>
    public async Task<IReadOnlyList<ResourceResult>> CompromisedAsync(DisableRequest.CompromisedKey finding, CancellationToken cancellationToken)
    {
        KeyUsage? key;
        try
        {
            var owner = await gateway.FindKeyOwnerAsync(finding.AccessKeyId, cancellationToken);
            var user = owner is null ? null : await gateway.GetUserAsync(owner, cancellationToken);
            if (user is null)
                return [ResourceResult.NoChange(finding.AccessKeyId, OutcomeStatus.AlreadyCompliant, "the key (or its user) no longer exists")];
            if (await IsExemptAsync(user.UserName, user.Path, cancellationToken))
                return _results;
            key = (await gateway.ListKeysAsync(user.UserName, cancellationToken)).FirstOrDefault(k => k.AccessKeyId == finding.AccessKeyId);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return [ResourceResult.Failed(finding.AccessKeyId, "reading the key and its user", error, [])];
        }
        if (key is not { IsActive: true })
            return [ResourceResult.NoChange(finding.AccessKeyId, OutcomeStatus.AlreadyCompliant, key is null ? "the key no longer exists" : "the key is already inactive")];
        await ApplyAsync([(key, $"GuardDuty finding {finding.FindingType} (severity {finding.Severity}) names this key; {key.ActivityText}")], cancellationToken);
        return _results;
    }

    /// <summary>The user's unused keys, unless it is exempt; a user whose reads fail is reported Failed and the others go on.</summary>
    private async Task<List<(KeyUsage, string)>> UnusedKeysOfAsync(string userName, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await IsExemptAsync(userName, path, cancellationToken) ? [] : await ConfirmUnusedAsync(userName, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _results.Add(ResourceResult.Failed(userName, "reading the user's tags and keys", error, []));
            return [];
        }
    }

    private async Task<bool> IsExemptAsync(string userName, string path, CancellationToken cancellationToken)
    {
        // ListUserTags is one call per user, so it is made only when a tag exemption is configured and the name and path did not already decide.
        var reason = UnusedKeyPolicy.ExemptionReason(userName, path, new Dictionary<string, string>(), settings);
        if (reason is null && settings.Exemptions.TagKey is not null)
            reason = UnusedKeyPolicy.ExemptionReason(userName, path, await gateway.ListUserTagsAsync(userName, cancellationToken), settings);
        if (reason is not null)
            _results.Add(ResourceResult.NoChange(userName, OutcomeStatus.Exempt, reason));
        return reason is not null;
    }

    private async Task<List<(KeyUsage, string)>> ConfirmUnusedAsync(string userName, CancellationToken cancellationToken)
    {
        var keys = await gateway.ListKeysAsync(userName, cancellationToken);
        var unused = keys.Where(k => UnusedKeyPolicy.IsUnused(k, now, settings)).ToList();
        if (unused.Count == 0)
            _results.Add(ResourceResult.NoChange(userName, OutcomeStatus.AlreadyCompliant,
                keys.Any(k => k.IsActive) ? "every active key was used recently enough" : "the user has no active key"));
        return [.. unused.Select(k => (k, UnusedKeyPolicy.UnusedReason(k, now, settings)))];
    }

    /// <summary>
    /// Oldest first. A failed deactivation made no change, so it does not use up the cap and the next key is tried: a key
    /// that keeps failing (an SCP-protected user) cannot starve the others. After as many failures as the cap the run stops
    /// trying, so a systemic error (the role lost iam:UpdateAccessKey) does not call once per key; the rest are Capped.
    /// </summary>
    private async Task ApplyAsync(IReadOnlyList<(KeyUsage Key, string Reason)> unused, CancellationToken cancellationToken)
    {
        var reasons = unused.ToDictionary(u => u.Key.AccessKeyId, u => u.Reason);
        var deactivated = new List<KeyUsage>();
        var failed = 0;
        var capped = new List<KeyUsage>();
        foreach (var key in UnusedKeyPolicy.Order(unused.Select(u => u.Key)))
        {
            if (!UnusedKeyPolicy.MayAttempt(deactivated.Count, failed, settings.MaxKeysPerRun))
            {
                capped.Add(key);
                continue;
            }
            try
            {
                if (!dryRun)
                    await gateway.DeactivateKeyAsync(key.UserName, key.AccessKeyId, cancellationToken);
                deactivated.Add(key);
                _results.Add(new ResourceResult(key.AccessKeyId, dryRun ? OutcomeStatus.DryRun : OutcomeStatus.Remediated,
                    (dryRun ? "dry run, would deactivate: " : "deactivated: ") + reasons[key.AccessKeyId], [Change(key, reasons[key.AccessKeyId])]));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                failed++;
                _results.Add(ResourceResult.Failed(key.AccessKeyId, $"deactivating it ({reasons[key.AccessKeyId]})", error, []));
            }
        }
        if (!dryRun)
            await VerifyInactiveAsync(deactivated, cancellationToken);
        foreach (var key in capped)
            _results.Add(new ResourceResult(key.AccessKeyId, OutcomeStatus.Capped,
                $"not changed: more than {settings.MaxKeysPerRun} keys to deactivate in one run; {reasons[key.AccessKeyId]}", [Change(key, reasons[key.AccessKeyId])]));
    }

    /// <summary>Re-reads each touched user's keys: a key still active after UpdateAccessKey is Failed, so the invocation is retried.</summary>
    private async Task VerifyInactiveAsync(IReadOnlyList<KeyUsage> deactivated, CancellationToken cancellationToken)
    {
        foreach (var user in deactivated.GroupBy(k => k.UserName))
        {
            IReadOnlyDictionary<string, string> statuses;
            try
            {
                statuses = await gateway.KeyStatusesAsync(user.Key, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // UpdateAccessKey answered success, so the change is most likely made: it stays on record with its undo.
                foreach (var key in user)
                    Replace(key, ResourceResult.Failed(key.AccessKeyId, "verifying the deactivation", error, Result(key).Changes));
                continue;
            }
            foreach (var key in user.Where(k => statuses.GetValueOrDefault(k.AccessKeyId) == "Active"))
                Replace(key, ResourceResult.Failed(key.AccessKeyId, "verifying the deactivation",
                    new InvalidOperationException($"{key.AccessKeyId} of {user.Key} still active after UpdateAccessKey Inactive"), []));
        }
    }

    private ResourceResult Result(KeyUsage key) => _results.Single(r => r.ResourceId == key.AccessKeyId);

    private void Replace(KeyUsage key, ResourceResult result) => _results[_results.IndexOf(Result(key))] = result;

    internal static Change Change(KeyUsage key, string reason) => new(DeactivateAction, key.AccessKeyId, reason, new Dictionary<string, string>
    {
        ["userName"] = key.UserName,
        ["accessKeyId"] = key.AccessKeyId,
        ["status"] = "Active",
        ["lastUsed"] = key.LastUsed is { } used ? KeyUsage.Iso(used) : "never",
        ["created"] = KeyUsage.Iso(key.CreateDate),
    }, $"Only once the key is known to be safe, reactivate it: aws iam update-access-key --user-name {key.UserName} --access-key-id {key.AccessKeyId} --status Active");
}
