using System.Text;
using System.Text.Json;
using System.Web;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>The AWS operations moto received while recording, in order, whoever sent them.</summary>
public sealed class MotoRecording(MotoServer moto)
{
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        var lines = (await moto.StopRecordingAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. lines.Select(OperationOf)];
    }

    /// <summary>JSON protocols name the operation in X-Amz-Target, Query protocols in Action; REST calls are method and path.</summary>
    private static string OperationOf(string line)
    {
        using var entry = JsonDocument.Parse(line);
        var root = entry.RootElement;
        if (root.GetProperty("headers").TryGetProperty("X-Amz-Target", out var target))
            return target.GetString()!.Split('.')[^1];
        var body = root.GetProperty("body").GetString() ?? "";
        if (root.TryGetProperty("body_encoded", out var encoded) && encoded.GetBoolean())
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        var url = new Uri(root.GetProperty("url").GetString()!);
        return HttpUtility.ParseQueryString(body)["Action"]
            ?? HttpUtility.ParseQueryString(url.Query)["Action"]
            ?? $"{root.GetProperty("method").GetString()} {url.AbsolutePath}";
    }
}
