using System.Globalization;

namespace Remediators.Core.Blocklist;

/// <summary>What a blocklist change's outcome record carries so that it can be undone, the same for the blocker and the pruner.</summary>
public static class BlocklistChangeDetails
{
    /// <param name="previously">Whether the set held the address before: "present" or "absent".</param>
    public static Dictionary<string, string> IpSet(string setArn, string cidr, string previously) =>
        new() { ["ipSetArn"] = setArn, ["address"] = cidr, ["previously"] = previously };

    /// <param name="previously">The inbound entry at that rule number before: "absent" or "deny &lt;cidr&gt;".</param>
    public static Dictionary<string, string> NaclEntry(string networkAclId, int ruleNumber, string previously) => new()
    {
        ["networkAclId"] = networkAclId, ["ruleNumber"] = ruleNumber.ToString(CultureInfo.InvariantCulture),
        ["egress"] = "false", ["previously"] = previously,
    };
}
