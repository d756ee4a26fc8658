using System.Text.Json.Nodes;

namespace Remediators.Local.Runtime;

/// <param name="Answered">True when the function posted a response; false for any kind of error.</param>
/// <param name="Body">The response or error JSON.</param>
internal sealed record RuntimeOutcome(bool Answered, string Body)
{
    public static RuntimeOutcome Response(string body) => new(true, body);

    public static RuntimeOutcome Error(string body) => new(false, body);

    public static RuntimeOutcome Error(string errorType, string errorMessage) =>
        new(false, new JsonObject { ["errorMessage"] = errorMessage, ["errorType"] = errorType }.ToJsonString());
}
