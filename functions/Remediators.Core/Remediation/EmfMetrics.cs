using System.Text.Json;

namespace Remediators.Core.Remediation;

/// <summary>
/// Writes CloudWatch Embedded Metric Format lines: CloudWatch Logs turns them into metrics in namespace
/// <c>Remediators</c> without any API call, by function and status, by function alone (the dashboard's totals) and by
/// status alone (one alarm on any Capped outcome), and, for an outcome with a target, by function, account and region.
/// </summary>
public static class EmfMetrics
{
    public const string Namespace = "Remediators";

    private static readonly string[][] DimensionSets = [["Function", "Status"], ["Function"], ["Status"]];

    // A refused event has no target: its line carries no account, and a set naming a missing dimension would void the metrics.
    private static readonly string[] TargetDimensions = ["Function", "Account", "Region"];

    /// <param name="outcomesUnpublished">How many publishing targets (topic, bus) the outcome could not reach.</param>
    public static string Format(Outcome outcome, DateTimeOffset timestamp, int outcomesUnpublished)
    {
        var metrics = new List<(string Name, long Value)>
        {
            ("Invocations", 1),
            ("Changes", outcome.Resources.Sum(r => r.Changes.Count)),
            ("Resources", outcome.Resources.Count),
            ("OutcomesUnpublished", outcomesUnpublished),
        };
        metrics.AddRange(outcome.Counts.Select(c => (c.Key, c.Value)));

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            json.WriteStartArray("Dimensions");
            foreach (var set in outcome.Account is null || outcome.Region is null ? DimensionSets : [.. DimensionSets, TargetDimensions])
            {
                json.WriteStartArray();
                foreach (var dimension in set)
                    json.WriteStringValue(dimension);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var (name, _) in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", name);
                json.WriteString("Unit", "Count");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Function", outcome.Function);
            json.WriteString("Status", outcome.Status.ToString());
            if (outcome.Account is not null && outcome.Region is not null)
            {
                json.WriteString("Account", outcome.Account);
                json.WriteString("Region", outcome.Region);
            }
            foreach (var (name, value) in metrics)
                json.WriteNumber(name, value);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
