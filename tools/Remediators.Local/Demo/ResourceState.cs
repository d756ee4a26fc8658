namespace Remediators.Local.Demo;

/// <summary>
/// What the demo shows of one resource: named items (a rule, a key, a setting) with a value each. An item missing
/// from <see cref="Items"/> does not exist (a revoked rule, an address not blocked). <see cref="Place"/> names the account
/// and region it is in when the demo has several (empty: the demo's one account).
/// </summary>
internal sealed record ResourceState(string Resource, IReadOnlyDictionary<string, string> Items, string Place = "");

/// <summary>The value an item of a resource must have after the demo in enforce mode; <see cref="Absent"/> for gone.</summary>
internal sealed record ExpectedItem(string Resource, string Item, string Value, string Place = "")
{
    public const string Absent = "-";
}
