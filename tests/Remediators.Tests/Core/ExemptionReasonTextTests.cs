using Remediators.Core.Remediation;

namespace Remediators.Tests.Core;

/// <summary>Pins the exemption reasons outcome records carry: the allowlisted id, or the tag with the value it has.</summary>
public sealed class ExemptionReasonTextTests
{
    [Fact]
    public void ExemptionReason_NamesTheAllowlistedIdOrTheTagAndItsValue()
    {
        var policy = new ExemptionPolicy("remediators:exempt", "true", new HashSet<string> { "sg-allowed" });

        Assert.Equal("sg-allowed is on the allowlist", policy.ExemptionReason("sg-allowed", new Dictionary<string, string>()));
        Assert.Equal("tagged remediators:exempt=TRUE", policy.ExemptionReason("sg-1", new Dictionary<string, string> { ["remediators:exempt"] = "TRUE" }));
    }
}
