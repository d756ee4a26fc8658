using System.Text.Json;

namespace Remediators.Core.Remediation;

/// <summary>
/// Writes CloudWatch Embedded Metric Format lines: CloudWatch Logs turns them into metrics in
/// namespace <c>Remediators</c>, dimensioned by function and status, without any API call.
/// </summary>
public static class EmfMetrics
{
    public const string Namespace = "Remediators";

    public static string Format(Outcome outcome, DateTimeOffset timestamp)
    {
        var metrics = new List<(string Name, long Value)>
        {
            ("Invocations", 1),
            ("Changes", outcome.Resources.Sum(r => r.Changes.Count)),
            ("Resources", outcome.Resources.Count),
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
            json.WriteStartArray();
            json.WriteStringValue("Function");
            json.WriteStringValue("Status");
            json.WriteEndArray();
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
            foreach (var (name, value) in metrics)
                json.WriteNumber(name, value);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
