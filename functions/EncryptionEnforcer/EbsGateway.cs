using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.Core.Aws;

namespace EncryptionEnforcer;

/// <summary>
/// The EC2 verbs the enforcer calls for a region's EBS encryption by default. There is deliberately no verb that
/// disables it or resets the key: nothing in this function can turn the protection off.
/// </summary>
public interface IEbsGateway
{
    Task<bool> IsEncryptedByDefaultAsync(CancellationToken cancellationToken);

    /// <summary>The default key EBS encrypts new volumes with (an ARN, or <c>alias/aws/ebs</c> for the AWS managed key).</summary>
    Task<string?> GetDefaultKmsKeyIdAsync(CancellationToken cancellationToken);

    Task EnableEncryptionByDefaultAsync(CancellationToken cancellationToken);

    /// <summary>Sets the default key; answers the key EC2 says is now the default (the read-back that verifies it).</summary>
    Task<string?> SetDefaultKmsKeyAsync(string keyArn, CancellationToken cancellationToken);
}

public sealed class EbsGateway(IAmazonEC2 ec2) : IEbsGateway
{
    public static readonly string[] IamActions =
    [
        "ec2:GetEbsEncryptionByDefault", "ec2:GetEbsDefaultKmsKeyId", "ec2:EnableEbsEncryptionByDefault",
    ];

    /// <summary>The default key is set only when one is configured.</summary>
    public static readonly FeatureActions DefaultKeyActions = new("EbsDefaultKmsKeyGiven", ["ec2:ModifyEbsDefaultKmsKeyId"]);

    public async Task<bool> IsEncryptedByDefaultAsync(CancellationToken cancellationToken) =>
        (await ec2.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest(), cancellationToken)).EbsEncryptionByDefault ?? false;

    public async Task<string?> GetDefaultKmsKeyIdAsync(CancellationToken cancellationToken) =>
        (await ec2.GetEbsDefaultKmsKeyIdAsync(new GetEbsDefaultKmsKeyIdRequest(), cancellationToken)).KmsKeyId;

    public Task EnableEncryptionByDefaultAsync(CancellationToken cancellationToken) =>
        ec2.EnableEbsEncryptionByDefaultAsync(new EnableEbsEncryptionByDefaultRequest(), cancellationToken);

    public async Task<string?> SetDefaultKmsKeyAsync(string keyArn, CancellationToken cancellationToken) =>
        (await ec2.ModifyEbsDefaultKmsKeyIdAsync(new ModifyEbsDefaultKmsKeyIdRequest { KmsKeyId = keyArn }, cancellationToken)).KmsKeyId;
}
