using System.Text.Json;
using Remediators.Local;

namespace Remediators.Bench.Harness;

/// <summary>What one invocation answered: the outcome record (or Lambda's error), its timing and memory, and its logs.</summary>
internal sealed class FunctionOutcome
{
    private readonly JsonElement _body;

    public FunctionOutcome(InvokeResult result, string diagnostics)
    {
        Result = result;
        Logs = result.Logs + diagnostics;
        try
        {
            using var document = JsonDocument.Parse(result.Body);
            _body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            _body = default;
        }
    }

    public InvokeResult Result { get; }

    /// <summary>The function's log lines, then the runner's (build output, warnings).</summary>
    public string Logs { get; }

    public bool Answered => Result.Answered;

    /// <summary>The outcome's status (Remediated, AlreadyCompliant...), or <c>Error: &lt;errorType&gt;</c> when Lambda would see an error.</summary>
    public string Status => Answered && Property(_body, "status") is { } status
        ? status
        : $"Error: {Property(_body, "errorType") ?? "unreadable answer"}";

    public string Reason => Property(_body, Answered ? "reason" : "errorMessage") ?? Result.Body;

    /// <summary>One of the outcome's counts (KeysDeactivated, AddressesAdded...); 0 when absent.</summary>
    public long Count(string name) =>
        _body.ValueKind == JsonValueKind.Object && _body.TryGetProperty("counts", out var counts) && counts.TryGetProperty(name, out var value)
            ? value.GetInt64()
            : 0;

    private static string? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
