using Remediators.Core.Aws;
using Remediators.Core.Remediation;
using Remediators.Core.Targets;

namespace Remediators.Tests.Core.Targets;

public sealed class MembershipAndRolesTests
{
    private const string Organization = "o-a1b2c3d4e5";
    private static readonly Target Member = new("222222222222", "eu-west-1");

    [Theory]
    [InlineData("arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/222222222222", "ACTIVE", true)]
    [InlineData("arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/222222222222", "SUSPENDED", false)]
    [InlineData("arn:aws:organizations::111111111111:account/o-zzzzzzzzzz/222222222222", "ACTIVE", false)]
    [InlineData("arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/333333333333", "ACTIVE", false)]
    [InlineData("arn:aws:organizations::111111111111:account/o-a1b2c3d4e5x/222222222222", "ACTIVE", false)]
    [InlineData("not an arn", "ACTIVE", false)]
    public void AMember_IsAnActiveAccountWhoseArnNamesTheOrganization(string arn, string status, bool member) =>
        Assert.Equal(member, OrganizationMembership.IsActiveMember(new OrganizationAccount("222222222222", arn, status), Organization));

    [Theory]
    [InlineData("eu-west-1", "arn:aws:iam::222222222222:role/remediators-EncryptionEnforcer")]
    [InlineData("cn-north-1", "arn:aws-cn:iam::222222222222:role/remediators-EncryptionEnforcer")]
    [InlineData("us-gov-west-1", "arn:aws-us-gov:iam::222222222222:role/remediators-EncryptionEnforcer")]
    public void TheMemberRole_IsNamedPrefixAndFunction_InTheTargetsPartition(string region, string arn) =>
        Assert.Equal(arn, MemberRoles.RoleArn(Member with { Region = region }, "remediators-", "EncryptionEnforcer"));

    [Fact]
    public void AnUnassumableRole_IsTheTargetsFailedResult_NamingAccountRoleAndTheFix()
    {
        const string role = "arn:aws:iam::222222222222:role/remediators-PublicIngressRevoker";

        var result = MemberRoles.Unavailable(Member, role, new AwsServiceException("sts", "AssumeRole", 403, "AccessDenied", "not authorized"));

        Assert.Equal((role, OutcomeStatus.Failed, "AccessDenied", 0), (result.ResourceId, result.Status, result.Error, result.Changes.Count));
        Assert.Contains($"could not assume {role} in account 222222222222", result.Reason, StringComparison.Ordinal);
        Assert.Contains("Deploy member-roles.yaml in account 222222222222", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AThrottledAssumeRole_IsFailedToo_WithoutTheDeployHint()
    {
        var result = MemberRoles.Unavailable(Member, "arn:aws:iam::222222222222:role/r", new AwsServiceException("sts", "AssumeRole", 400, "Throttling", "slow down"));

        Assert.DoesNotContain("member-roles.yaml", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UndoInAMember_NamesAccountRegionAndRole_BeforeTheFunctionsOwnText()
    {
        var undo = MemberRoles.UndoIn(Member, "arn:aws:iam::222222222222:role/remediators-PublicIngressRevoker", "Authorize the rule again: aws ec2 ...");

        Assert.Equal("In account 222222222222, region eu-west-1 (add --region eu-west-1 and a profile for that account; the function acted as " +
            "arn:aws:iam::222222222222:role/remediators-PublicIngressRevoker): Authorize the rule again: aws ec2 ...", undo);
    }
}
