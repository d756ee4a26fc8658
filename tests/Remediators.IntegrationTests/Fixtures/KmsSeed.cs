using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Remediators.IntegrationTests.Fixtures;

/// <summary>Seeds KMS keys in moto, in the states a bucket's key can be in, through the SDK client production uses.</summary>
public static class KmsSeed
{
    public static AmazonKeyManagementServiceClient Kms(this MotoServer moto) =>
        moto.Clients.Sdk<AmazonKeyManagementServiceClient, AmazonKeyManagementServiceConfig>(MotoServer.Region, (c, config) => new AmazonKeyManagementServiceClient(c, config));

    /// <summary>A new customer managed key; its ARN.</summary>
    public static async Task<string> CreateKeyAsync(this MotoServer moto, string description) =>
        (await moto.Kms().CreateKeyAsync(new CreateKeyRequest { Description = description })).KeyMetadata.Arn;

    public static Task CreateAliasAsync(this MotoServer moto, string alias, string keyArn) =>
        moto.Kms().CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = keyArn });

    // moto 5.2.1 finds a key to disable or delete by its id only, not its ARN.
    public static Task DisableKeyAsync(this MotoServer moto, string keyArn) =>
        moto.Kms().DisableKeyAsync(new DisableKeyRequest { KeyId = KeyId(keyArn) });

    public static Task ScheduleKeyDeletionAsync(this MotoServer moto, string keyArn) =>
        moto.Kms().ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = KeyId(keyArn), PendingWindowInDays = 7 });

    private static string KeyId(string keyArn) => keyArn[(keyArn.LastIndexOf('/') + 1)..];
}
