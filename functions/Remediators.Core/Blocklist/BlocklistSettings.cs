using Remediators.Core.Aws;
using Remediators.Core.Remediation;

namespace Remediators.Core.Blocklist;

/// <summary>Where the blocklist lives, shared by the blocker and the pruner: the table, the IP sets, the NACL rule-number range.</summary>
public sealed record BlocklistSettings(string TableName, IReadOnlyList<IpSetTarget> IpSets, NaclRuleRange NaclRules)
{
    public const string TableVariable = "BLOCKLIST_TABLE";
    public const string Ipv4SetVariable = "IPV4_IP_SET_ARN";
    public const string Ipv6SetVariable = "IPV6_IP_SET_ARN";
    public const string CloudFrontVariable = "BLOCK_IN_CLOUDFRONT";
    public const string CloudFrontIpv4SetVariable = "CLOUDFRONT_IPV4_IP_SET_ARN";
    public const string CloudFrontIpv6SetVariable = "CLOUDFRONT_IPV6_IP_SET_ARN";
    public const string NaclRuleNumberFirstVariable = "NACL_RULE_NUMBER_FIRST";
    public const string NaclRuleNumberLastVariable = "NACL_RULE_NUMBER_LAST";

    public static readonly NaclRuleRange DefaultNaclRules = new(1, 10);

    public static BlocklistSettings FromEnvironment(EnvironmentSettings env)
    {
        var table = env.Required(TableVariable, "Set it to the blocklist table's name (the template passes its BlocklistTable).");
        List<IpSetTarget> sets = [Set(env, Ipv4SetVariable, "REGIONAL", false), Set(env, Ipv6SetVariable, "REGIONAL", true)];
        if (env.Flag(CloudFrontVariable, false))
            sets.AddRange([Set(env, CloudFrontIpv4SetVariable, "CLOUDFRONT", false), Set(env, CloudFrontIpv6SetVariable, "CLOUDFRONT", true)]);

        var first = env.WholeNumber(NaclRuleNumberFirstVariable, DefaultNaclRules.First, NaclRuleRange.LowestRuleNumber, NaclRuleRange.HighestRuleNumber);
        var last = env.WholeNumber(NaclRuleNumberLastVariable, DefaultNaclRules.Last, NaclRuleRange.LowestRuleNumber, NaclRuleRange.HighestRuleNumber);
        if (last < first)
            throw new SettingsException(NaclRuleNumberLastVariable, $"{last} is below {NaclRuleNumberFirstVariable} {first}", "Give the range's last number, at least its first.");
        return new BlocklistSettings(table, sets, new NaclRuleRange(first, last));
    }

    private static IpSetTarget Set(EnvironmentSettings env, string variable, string scope, bool ipv6)
    {
        var fix = scope == "CLOUDFRONT"
            ? "Give a CLOUDFRONT-scope IP set ARN (arn:aws:wafv2:us-east-1:<account>:global/ipset/<name>/<id>); outside us-east-1 the template cannot create one, so pass existing ones."
            : "Give a REGIONAL IP set ARN (arn:aws:wafv2:<region>:<account>:regional/ipset/<name>/<id>).";
        var arn = env.Required(variable, fix);
        try
        {
            var reference = IpSetReference.FromArn(arn);
            if (reference.Scope != scope || (scope == "CLOUDFRONT" && IpSetReference.RegionOf(arn) != "us-east-1"))
                throw new SettingsException(variable, $"'{arn}' is not a {scope} IP set{(scope == "CLOUDFRONT" ? " in us-east-1" : "")}", fix);
            return new IpSetTarget(arn, ipv6);
        }
        catch (FormatException error)
        {
            throw new SettingsException(variable, error.Message, fix);
        }
    }
}
