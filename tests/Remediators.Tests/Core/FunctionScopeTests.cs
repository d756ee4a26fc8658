using Remediators.Core.Hosting;
using Remediators.Core.Remediation;

namespace Remediators.Tests.Core;

public sealed class FunctionScopeTests
{
    private static InvocationContext WithArn(string? arn) => new("request-1", DateTimeOffset.UtcNow.AddMinutes(1), arn, null);

    [Fact]
    public void Of_TheInvokedFunctionArn_GivesItsAccountAndRegion() =>
        Assert.Equal(new FunctionScope("123456789012", "eu-west-1"), FunctionScope.Of(WithArn("arn:aws:lambda:eu-west-1:123456789012:function:PublicIngressRevoker")));

    [Fact]
    public void Of_AnAliasOrVersionArn_GivesTheSameScope() =>
        Assert.Equal(new FunctionScope("123456789012", "us-east-1"), FunctionScope.Of(WithArn("arn:aws:lambda:us-east-1:123456789012:function:f:live")));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("arn:aws:lambda:us-east-1:12345678901:function:f")]
    [InlineData("arn:aws:lambda:us-east-1:12345678901x:function:f")]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:queue")]
    public void Of_NoUsableArn_IsNull(string? arn) => Assert.Null(FunctionScope.Of(WithArn(arn)));

    [Fact]
    public void Refusals_NameTheForeignAccountOrRegion_AndAcceptTheFunctionsOwn()
    {
        var scope = new FunctionScope("123456789012", "us-east-1");

        Assert.Null(scope.AccountRefusal("123456789012", "the finding"));
        Assert.Null(scope.RegionRefusal("us-east-1", "the finding"));
        Assert.Contains("account 210987654321", scope.AccountRefusal("210987654321", "the finding"), StringComparison.Ordinal);
        Assert.Contains("region eu-west-1", scope.RegionRefusal("eu-west-1", "the finding"), StringComparison.Ordinal);
    }
}
