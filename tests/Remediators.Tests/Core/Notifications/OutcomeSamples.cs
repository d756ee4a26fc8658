using Remediators.Core.Remediation;

namespace Remediators.Tests.Core.Notifications;

internal static class OutcomeSamples
{
    public static Change Revoke(string ruleId) => new("RevokeSecurityGroupIngress", ruleId, "tcp 22 open to 0.0.0.0/0",
        new Dictionary<string, string> { ["groupId"] = "sg-1", ["protocol"] = "tcp", ["fromPort"] = "22", ["toPort"] = "22", ["cidr"] = "0.0.0.0/0" },
        "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]'");

    public static Outcome Remediated(params ResourceResult[] resources) => new(
        "PublicIngressRevoker", "event-1", "123456789012", "eu-west-1", Outcome.Summarize(resources), "revoked 1 public rule(s)", false,
        resources, new Dictionary<string, long> { ["RulesRevoked"] = resources.Sum(r => r.Changes.Count) }, 42);

    public static ResourceResult Changed(string id, params Change[] changes) => new(id, OutcomeStatus.Remediated, "revoked 1 public rule(s)", changes);

    public static ResourceResult Compliant(string id) => ResourceResult.NoChange(id, OutcomeStatus.AlreadyCompliant, "no public rule");
}
