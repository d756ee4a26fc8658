using System.Text;
using System.Text.Json;
using Remediators.Core.Events;
using Remediators.Core.Targets;

namespace Remediators.Core.Sweeps;

/// <summary>
/// One target's share of a sweep: the schedule's own event with its envelope naming the target, so the function resolves it
/// like any schedule (TargetScope). Its id names the schedule event and the target, so each outcome can be traced to both.
/// </summary>
public static class WorkMessage
{
    public static string For(EventBridgeEvent schedule, Target target)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "0");
            json.WriteString("id", $"{schedule.Id}/{target.Account}/{target.Region}");
            json.WriteString("detail-type", EventParser.ScheduledDetailType);
            json.WriteString("source", schedule.Source);
            json.WriteString("account", target.Account);
            if (schedule.Time is { } time)
                json.WriteString("time", time);
            json.WriteString("region", target.Region);
            json.WriteStartArray("resources");
            foreach (var resource in schedule.Resources)
                json.WriteStringValue(resource);
            json.WriteEndArray();
            json.WritePropertyName("detail");
            json.WriteStartObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
