using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace EncryptionEnforcer;

/// <summary>The KMS verb the enforcer calls to learn what key a bucket's default encryption names.</summary>
public interface IKmsKeyGateway
{
    /// <summary>Resolves a key id, key ARN, alias name or alias ARN; a key KMS does not know or will not describe is answered, not thrown.</summary>
    Task<KeyFacts> DescribeKeyAsync(string keyId, CancellationToken cancellationToken);
}

public sealed class KmsKeyGateway(IAmazonKeyManagementService kms) : IKmsKeyGateway
{
    public static readonly string[] IamActions = ["kms:DescribeKey"];

    public async Task<KeyFacts> DescribeKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        try
        {
            var key = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, cancellationToken)).KeyMetadata;
            return new KeyFacts(key.Arn, key.AWSAccountId, key.KeyManager == KeyManagerType.AWS, ConditionOf(key.KeyState));
        }
        catch (AmazonKeyManagementServiceException error) when (error.ErrorCode is "NotFoundException")
        {
            return new KeyFacts(null, AccountInArn(keyId), false, KeyCondition.Missing);
        }
        catch (AmazonKeyManagementServiceException error) when (error.ErrorCode is "AccessDeniedException" or "AccessDenied")
        {
            // A key of another account describes only if its key policy lets this role; its ARN still tells whose it is.
            return new KeyFacts(null, AccountInArn(keyId), false, KeyCondition.Unreadable);
        }
    }

    /// <summary>Unavailable (a disconnected custom key store) and states in transition are not broken: the key is left to its owner.</summary>
    private static KeyCondition ConditionOf(KeyState? state) => state?.Value switch
    {
        "Disabled" or "PendingImport" => KeyCondition.Disabled,
        "PendingDeletion" or "PendingReplicaDeletion" => KeyCondition.PendingDeletion,
        _ => KeyCondition.Usable,
    };

    /// <summary>The account of <c>arn:aws:kms:region:account:key/...</c> or <c>...:alias/...</c>; null for a bare id or alias name.</summary>
    private static string? AccountInArn(string keyId) =>
        keyId.Split(':') is ["arn", _, "kms", _, { Length: 12 } account, _] ? account : null;
}
