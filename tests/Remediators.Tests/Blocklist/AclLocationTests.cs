using Remediators.Core.Blocklist;
using Remediators.Core.Targets;

namespace Remediators.Tests.Blocklist;

/// <summary>Where an ACL's record says it is: the records written before targets existed keep reading as the function's own.</summary>
public sealed class AclLocationTests
{
    [Fact]
    public void RecordId_AtHome_IsTheAclIdAlone_AsBeforeTargets()
    {
        Assert.Equal("acl-0abc", new AclLocation("acl-0abc").RecordId);
        Assert.Equal(new AclLocation("acl-0abc"), AclLocation.FromRecordId("acl-0abc"));
    }

    [Fact]
    public void RecordId_Elsewhere_NamesAccountAndRegion_AndReadsBackTheSame()
    {
        var acl = new AclLocation("acl-0abc", new Target("210987654321", "eu-west-1"));

        Assert.Equal("210987654321/eu-west-1/acl-0abc", acl.RecordId);
        Assert.Equal(acl, AclLocation.FromRecordId(acl.RecordId));
        Assert.Equal("acl-0abc (account 210987654321, region eu-west-1)", acl.ToString());
    }
}
