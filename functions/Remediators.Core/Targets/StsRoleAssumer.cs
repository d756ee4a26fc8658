using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Remediators.Core.Targets;

/// <summary>AssumeRole through AWSSDK.SecurityToken, with the hub's own credentials.</summary>
public sealed class StsRoleAssumer(IAmazonSecurityTokenService sts) : IRoleAssumer
{
    /// <summary>One hour, AssumeRole's default and every role's least maximum.</summary>
    public const int SessionSeconds = 3600;

    public async Task<RoleSession> AssumeRoleAsync(string roleArn, string sessionName, CancellationToken cancellationToken)
    {
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = roleArn, RoleSessionName = sessionName, DurationSeconds = SessionSeconds,
        }, cancellationToken);
        var issued = response.Credentials;
        // Without an expiry the session is treated as expired, so the next use assumes the role again.
        var expiration = issued.Expiration switch
        {
            null => DateTimeOffset.MinValue,
            { Kind: DateTimeKind.Unspecified } at => new DateTimeOffset(at, TimeSpan.Zero),
            { } at => new DateTimeOffset(at.ToUniversalTime()),
        };
        return new RoleSession(new ImmutableCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken), expiration);
    }
}
