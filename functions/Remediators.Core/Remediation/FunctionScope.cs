using Remediators.Core.Events;
using Remediators.Core.Hosting;

namespace Remediators.Core.Remediation;

/// <summary>
/// The account and region a function acts in, from its own ARN as the Runtime API gives it. Every event names an account and
/// a region, and a forged or misrouted one may name any: a function refuses what is not its own before it makes any call.
/// </summary>
public sealed record FunctionScope(string Account, string Region)
{
    /// <summary>The scope in the invoked function's ARN (<c>arn:aws:lambda:&lt;region&gt;:&lt;account&gt;:function:&lt;name&gt;</c>), or null when it has none.</summary>
    public static FunctionScope? Of(InvocationContext context) =>
        context.InvokedFunctionArn?.Split(':') is [ "arn", _, "lambda", { Length: > 0 } region, { Length: 12 } account, "function", ..] && account.All(char.IsAsciiDigit)
            ? new FunctionScope(account, region)
            : null;

    /// <summary>Why an event naming <paramref name="account"/> is not this function's to act on, or null when it is.</summary>
    public string? AccountRefusal(string? account, string what) =>
        account is null || account == Account ? null : $"{what} names account {account}; this function acts only in account {Account}";

    /// <summary>Why an event naming <paramref name="region"/> is not this function's to act on, or null when it is.</summary>
    public string? RegionRefusal(string? region, string what) =>
        region is null || region == Region ? null : $"{what} names region {region}; this function acts only in region {Region}";

    /// <summary>The envelope's account and region must both be this function's.</summary>
    public string? EnvelopeRefusal(EventBridgeEvent envelope) =>
        AccountRefusal(envelope.Account, "the event") ?? RegionRefusal(envelope.Region, "the event");

    public const string UnknownScopeReason = "the invocation carries no function ARN, so the function's own account and region are unknown";
}
