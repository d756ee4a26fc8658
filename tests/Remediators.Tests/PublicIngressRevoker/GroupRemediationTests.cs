using PublicIngressRevoker;

namespace Remediators.Tests.PublicIngressRevoker;

/// <summary>Each change tells the person on call the exact command that puts it back.</summary>
public sealed class GroupRemediationTests
{
    private const string Group = "sg-0123456789abcdef0";

    private static IngressRule Rule(string protocol, int from, int to, string cidr, string? description) => new(
        "sgr-0aaa", Group, false, protocol, from, to,
        cidr.Contains(':', StringComparison.Ordinal) ? null : cidr,
        cidr.Contains(':', StringComparison.Ordinal) ? cidr : null, null, null, description);

    private static string HowToUndoRevoking(IngressRule rule) =>
        Assert.Single(GroupRemediation.Changes(new GroupPlan(Group, [(rule, "open")], [], [], []))).HowToUndo;

    [Fact]
    public void Changes_WhenAnIpv4RuleWithADescriptionIsRevoked_TellHowToAuthorizeItAgainWithItsDescription()
    {
        Assert.Equal(
            "Authorize the rule again (this re-opens it to 0.0.0.0/0): aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 " +
            "--ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0,Description=\"SSH from anywhere\"}]'",
            HowToUndoRevoking(Rule("tcp", 22, 22, "0.0.0.0/0", "SSH from anywhere")));
    }

    [Fact]
    public void Changes_WhenAnIpv6RuleIsRevoked_TellHowToAuthorizeItAgain()
    {
        Assert.Equal(
            "Authorize the rule again (this re-opens it to ::/0): aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 " +
            "--ip-permissions 'IpProtocol=tcp,FromPort=8000,ToPort=8080,Ipv6Ranges=[{CidrIpv6=::/0}]'",
            HowToUndoRevoking(Rule("tcp", 8000, 8080, "::/0", null)));
    }

    [Fact]
    public void Changes_WhenAnAllTrafficRuleIsRevoked_TellHowToAuthorizeItAgainWithoutPorts()
    {
        Assert.Equal(
            "Authorize the rule again (this re-opens it to 0.0.0.0/0): aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 " +
            "--ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'",
            HowToUndoRevoking(Rule("-1", -1, -1, "0.0.0.0/0", "")));
    }

    [Fact]
    public void Changes_WhenATrustedGrantIsAdded_TellHowToRevokeIt()
    {
        var grant = new IngressGrant(Group, "tcp", 22, 22, "10.0.0.0/8", "Trusted replacement for public rule sgr-0aaa");

        var change = GroupRemediation.Changes(new GroupPlan(Group, [], [grant], [], [])).Single();

        Assert.Equal(
            "Revoke the added rule: aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 " +
            "--ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=10.0.0.0/8}]'",
            change.HowToUndo);
    }
}
