using Remediators.IntegrationTests.Fixtures;
using UnusedKeyDisabler;

namespace Remediators.IntegrationTests.UnusedKeyDisabler;

[Collection(MotoCollection.Name)]
public sealed class AccessKeyGatewayTests(MotoServer moto)
{
    private AccessKeyGateway Gateway => new(moto.Iam(), TimeProvider.System);

    [Fact]
    public async Task ListKeysAndTags_ForAUserDeletedSinceTheReport_AreEmpty()
    {
        var gone = $"gone-{Guid.NewGuid():N}";

        Assert.Empty(await Gateway.ListKeysAsync(gone, CancellationToken.None));
        Assert.Empty(await Gateway.ListUserTagsAsync(gone, CancellationToken.None));
        Assert.Empty(await Gateway.KeyStatusesAsync(gone, CancellationToken.None));
    }

    [Fact]
    public async Task ReadCredentialReport_ListsAUserWithItsActiveKeyAndPath()
    {
        var user = $"report-{Guid.NewGuid():N}"[..15];
        await moto.CreateUserAsync(user, "/team/");
        await moto.CreateAccessKeyAsync(user);
        try
        {
            var reported = Assert.Single(await Gateway.ReadCredentialReportAsync(CancellationToken.None), u => u.UserName == user);

            Assert.Equal("/team/", reported.Path);
            Assert.Null(Assert.Single(reported.ActiveKeys).LastUsed);
        }
        finally
        {
            await moto.DeleteUserAsync(user);
        }
    }

    [Fact]
    public async Task FindKeyOwner_OfAKeyThatDoesNotExist_IsNull() =>
        Assert.Null(await Gateway.FindKeyOwnerAsync("AKIAIOSFODNN7EXAMPLE", CancellationToken.None));
}
