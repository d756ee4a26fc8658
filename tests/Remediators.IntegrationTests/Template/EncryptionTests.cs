using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>Every queue and topic of the stack is encrypted, and the alarms can still publish to the topic.</summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed class EncryptionTests(TransformedTemplate template)
{
    [Fact]
    public void EveryQueue_IsEncrypted()
    {
        var queues = template.OfType("AWS::SQS::Queue").ToList();

        var unencrypted = queues.Where(q =>
                !(Intrinsics.Property(q.Properties, "SqsManagedSseEnabled") is { ValueKind: JsonValueKind.True })
                && Intrinsics.Property(q.Properties, "KmsMasterKeyId") is null)
            .Select(q => q.Id);

        Assert.NotEmpty(queues);
        Assert.Empty(unencrypted);
    }

    [Fact]
    public void EveryTopic_IsEncryptedWithARotatedKeyOfTheStack_ThatCloudWatchAlarmsMayUse()
    {
        var topics = template.OfType("AWS::SNS::Topic").ToList();

        Assert.NotEmpty(topics);
        Assert.All(topics, topic =>
        {
            var key = Intrinsics.Ref(topic.Properties.GetProperty("KmsMasterKeyId"));
            Assert.True(key is not null && template.IsOfType(key, "AWS::KMS::Key"), $"{topic.Id} must be encrypted with a key of this stack.");
            var keyProperties = template.Resource(key).GetProperty("Properties");
            Assert.True(keyProperties.GetProperty("EnableKeyRotation").GetBoolean());
            var cloudWatch = Assert.Single(keyProperties.GetProperty("KeyPolicy").GetProperty("Statement").EnumerateArray(),
                s => Intrinsics.Property(s, "Principal", "Service")?.GetString() == "cloudwatch.amazonaws.com");
            Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey*"], cloudWatch.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));
            Assert.Equal("AWS::AccountId", Intrinsics.Ref(cloudWatch.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount")));
        });
    }
}
