using System.Text;
using Remediators.Core.Remediation;

namespace Remediators.Core.Notifications;

/// <summary>
/// What a person reads in a notification: a subject line and a text that says first what changed, where, why and how
/// to undo it, then carries the outcome record itself. The EventBridge event carries the record alone.
/// </summary>
public static class OutcomeMessage
{
    public const string EventSource = "remediators";

    /// <summary>Below the 256 KiB that both an SNS message and an EventBridge entry may hold, leaving room for the envelope.</summary>
    public const int MaxBytes = 240_000;

    // SNS subjects: ASCII, no line breaks, under 100 characters.
    private const int MaxSubjectLength = 99;
    private const int MaxResourcesInText = 25;
    private const int MaxSummaryBytes = MaxBytes / 2;

    public static string DetailType(OutcomeStatus status) => $"Remediation Outcome - {status}";

    public static string Subject(Outcome outcome)
    {
        var changed = outcome.Resources.Where(HasNews).Select(r => r.ResourceId).ToList();
        var what = changed.Count switch
        {
            0 => "",
            1 => $" {changed[0]}",
            _ => $" {changed[0]} and {changed.Count - 1} more",
        };
        var subject = $"{outcome.Status}: {outcome.Function}{what}" + (outcome.Account is null ? "" : $" ({outcome.Account} {outcome.Region})");
        var ascii = new string([.. subject.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        return ascii.Length <= MaxSubjectLength ? ascii : ascii[..(MaxSubjectLength - 3)] + "...";
    }

    /// <summary>The notification text: the human summary, then the outcome record fitted into what is left of <see cref="MaxBytes"/>.</summary>
    public static string Text(Outcome outcome)
    {
        var text = new StringBuilder();
        text.AppendLine(Headline(outcome));
        text.AppendLine($"Why: {outcome.Reason}");
        var listed = outcome.Resources.Where(HasNews).ToList();
        if (listed.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(outcome.DryRun ? "Planned (dry run, nothing was changed):" : "What changed:");
            foreach (var resource in listed.Take(MaxResourcesInText))
                AppendResource(text, resource, WasApplied(outcome, resource));
            if (listed.Count > MaxResourcesInText)
                text.AppendLine($"...and {listed.Count - MaxResourcesInText} more resource(s), listed in the record below.");
        }
        var quiet = outcome.Resources.Where(r => !HasNews(r)).GroupBy(r => r.Status).Select(g => $"{g.Count()} {g.Key}").ToList();
        if (quiet.Count > 0)
            text.AppendLine($"Other resources: {string.Join(", ", quiet)}.");
        Shorten(text);
        text.AppendLine();
        text.AppendLine($"Event {outcome.EventId}. The outcome record (also sent to EventBridge, source \"{EventSource}\"):");
        var room = MaxBytes - Encoding.UTF8.GetByteCount(text.ToString());
        text.Append(Encoding.UTF8.GetString(OutcomeRecordFit.Fit(outcome, room)));
        return text.ToString();
    }

    /// <summary>Cuts a summary longer than half the message (a huge reason or resource id), so the record keeps room and SNS takes the message.</summary>
    private static void Shorten(StringBuilder summary)
    {
        if (Encoding.UTF8.GetByteCount(summary.ToString()) <= MaxSummaryBytes)
            return;
        // A UTF-16 character takes at most 3 bytes in UTF-8 (a surrogate pair 4 for 2), so this many always fit.
        var keep = MaxSummaryBytes / 3 - 100;
        summary.Length = char.IsHighSurrogate(summary[keep - 1]) ? keep - 1 : keep;
        summary.AppendLine().AppendLine("...(shortened; the outcome record below has every resource)");
    }

    private static string Headline(Outcome outcome)
    {
        var where = outcome.Account is null ? "" : $" in account {outcome.Account}, region {outcome.Region}";
        var changes = outcome.Resources.Sum(r => r.Changes.Count);
        var resources = outcome.Resources.Count(r => r.Changes.Count > 0);
        return outcome.Status switch
        {
            OutcomeStatus.Remediated => $"{outcome.Function} made {changes} change(s) to {resources} resource(s){where}.",
            OutcomeStatus.DryRun => $"{outcome.Function} would make {changes} change(s) to {resources} resource(s){where}; it runs in dry-run mode, so nothing was changed.",
            OutcomeStatus.Capped => $"{outcome.Function} reached its blast-radius cap{where}: {outcome.Resources.Count(r => r.Status == OutcomeStatus.Capped)} resource(s) were left as they are and need a look" +
                (changes > 0 ? $"; it made {changes} change(s) first." : "."),
            OutcomeStatus.Failed => $"{outcome.Function} failed{where}" + (changes > 0 ? $" after making {changes} change(s), listed below." : ".") +
                " The event is retried; if it keeps failing it goes to a dead-letter queue.",
            OutcomeStatus.Rejected => $"{outcome.Function} rejected an event it cannot act on and changed nothing.",
            _ => $"{outcome.Function} changed nothing{where} ({outcome.Status}).",
        };
    }

    private static void AppendResource(StringBuilder text, ResourceResult resource, bool applied)
    {
        text.AppendLine($"- {resource.ResourceId} ({resource.Status}): {resource.Reason}");
        foreach (var change in resource.Changes)
        {
            text.AppendLine($"  * {change.Action} {change.Target}: {change.Reason}");
            if (applied)
                text.AppendLine($"    To undo: {change.HowToUndo}");
        }
    }

    // Planned changes (dry run) and those held back (cap, exemption) were never made: there is nothing to undo.
    private static bool WasApplied(Outcome outcome, ResourceResult resource) =>
        !outcome.DryRun && resource.Status is not (OutcomeStatus.DryRun or OutcomeStatus.Capped or OutcomeStatus.Exempt or OutcomeStatus.Rejected);

    // Resources a person must hear about: changed (or planned), or left alone for a reason that needs attention.
    private static bool HasNews(ResourceResult resource) =>
        resource.Changes.Count > 0 || resource.Status is OutcomeStatus.Capped or OutcomeStatus.Failed;
}
