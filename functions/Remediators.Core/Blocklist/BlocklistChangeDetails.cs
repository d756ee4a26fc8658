using System.Globalization;

namespace Remediators.Core.Blocklist;

/// <summary>
/// What a blocklist change's outcome record carries so that it can be undone, and the commands that undo it, the same for
/// the blocker and the pruner.
/// </summary>
public static class BlocklistChangeDetails
{
    /// <param name="previously">Whether the set held the address before: "present" or "absent".</param>
    public static Dictionary<string, string> IpSet(string setArn, string cidr, string previously) =>
        new() { ["ipSetArn"] = setArn, ["address"] = cidr, ["previously"] = previously };

    /// <param name="previously">The inbound entry at that rule number before: "absent" or "deny &lt;cidr&gt;".</param>
    public static Dictionary<string, string> NaclEntry(AclLocation acl, int ruleNumber, string previously)
    {
        var details = new Dictionary<string, string>
        {
            ["networkAclId"] = acl.NetworkAclId, ["ruleNumber"] = ruleNumber.ToString(CultureInfo.InvariantCulture),
            ["egress"] = "false", ["previously"] = previously,
        };
        if (acl.Elsewhere is { } target)
            (details["account"], details["region"]) = (target.Account, target.Region);
        return details;
    }

    /// <summary>How to put <paramref name="cidr"/> back into the set it was removed from.</summary>
    public static string AddBackToIpSet(string setArn, string cidr) => $"Add {cidr} back to the WAF IP set {setArn} ({UpdateIpSet}).";

    /// <summary>How to take <paramref name="cidr"/> out of the set it was added to; the caller says why it is there and what removes it.</summary>
    public static string RemoveFromIpSet(string setArn, string cidr) => $"Remove {cidr} from the WAF IP set {setArn} ({UpdateIpSet})";

    /// <summary>The AWS CLI options of one of our inbound deny entries for <paramref name="cidr"/>.</summary>
    public static string DenyEntryOptions(string cidr) =>
        "--protocol -1 --rule-action deny " + (cidr.Contains(':', StringComparison.Ordinal) ? $"--ipv6-cidr-block {cidr}" : $"--cidr-block {cidr}");

    private const string UpdateIpSet = "aws wafv2 get-ip-set, then update-ip-set with the changed address list and the lock token it returned";
}
