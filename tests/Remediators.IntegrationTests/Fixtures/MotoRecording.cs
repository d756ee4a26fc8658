using System.Text;
using System.Text.Json;
using System.Web;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>One AWS request moto received: the operation it named and the headers it carried.</summary>
public sealed record RecordedCall(string Operation, IReadOnlyDictionary<string, string> Headers);

/// <summary>The AWS operations moto received while recording, in order, whoever sent them.</summary>
public sealed class MotoRecording(MotoServer moto)
{
    public async Task<IReadOnlyList<string>> StopAsync() => [.. (await StopWithHeadersAsync()).Select(call => call.Operation)];

    public async Task<IReadOnlyList<RecordedCall>> StopWithHeadersAsync()
    {
        var lines = (await moto.StopRecordingAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. lines.Select(Parse)];
    }

    private static RecordedCall Parse(string line)
    {
        using var entry = JsonDocument.Parse(line);
        var root = entry.RootElement;
        var headers = root.GetProperty("headers").EnumerateObject()
            .ToDictionary(h => h.Name, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new RecordedCall(OperationOf(root, headers), headers);
    }

    /// <summary>JSON protocols name the operation in X-Amz-Target, Query protocols in Action; REST calls are method and path.</summary>
    private static string OperationOf(JsonElement root, Dictionary<string, string> headers)
    {
        if (headers.TryGetValue("X-Amz-Target", out var target))
            return target.Split('.')[^1];
        var body = root.GetProperty("body").GetString() ?? "";
        if (root.TryGetProperty("body_encoded", out var encoded) && encoded.GetBoolean())
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        var url = new Uri(root.GetProperty("url").GetString()!);
        return HttpUtility.ParseQueryString(body)["Action"]
            ?? HttpUtility.ParseQueryString(url.Query)["Action"]
            ?? $"{root.GetProperty("method").GetString()} {url.AbsolutePath}";
    }
}
