using System.Text;
using System.Text.Json;

namespace Remediators.Core.Hosting;

/// <summary>
/// One JSON object per log line, so CloudWatch Logs (the functions log in JSON format) can filter on level, request
/// and trace: Lambda passes JSON lines from a custom runtime through as they are.
/// </summary>
public static class JsonLog
{
    public const string Info = "INFO";
    public const string Warn = "WARN";
    public const string Error = "ERROR";

    /// <param name="addFields">Writes further properties (e.g. the outcome record) into the line's object.</param>
    public static string Line(DateTimeOffset timestamp, string level, string message, string? requestId, string? traceId, Action<Utf8JsonWriter>? addFields = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("message", message);
            if (requestId is not null)
                json.WriteString("requestId", requestId);
            if (traceId is not null)
                json.WriteString("traceId", traceId);
            addFields?.Invoke(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An exception as an ERROR line with its type and stack trace (inner exceptions included).</summary>
    public static string Failure(DateTimeOffset timestamp, string message, Exception error, string? requestId, string? traceId) =>
        Line(timestamp, Error, $"{message}: {error.Message}", requestId, traceId, json =>
        {
            json.WriteString("errorType", error.GetType().Name);
            json.WriteString("stackTrace", error.ToString());
        });
}
