using Amazon.Runtime;

namespace Remediators.Core.Aws;

/// <summary>
/// Stands in for AWSSDK.SimpleNotificationService (not in this registry): publishing, plus creating a topic and
/// subscribing to it for the local runner and tests.
/// </summary>
public sealed class SnsClient(string region, AWSCredentials credentials, HttpClient http, RetryBackoff retry, Uri? endpoint = null)
    : QueryProtocolClient(AwsService.Sns, "2010-03-31", region, credentials, http, retry, endpoint)
{
    /// <returns>The message id SNS assigned.</returns>
    public async Task<string> PublishAsync(string topicArn, string subject, string message, CancellationToken cancellationToken)
    {
        var result = await CallAsync("Publish", [new("TopicArn", topicArn), new("Subject", subject), new("Message", message)], cancellationToken);
        return result.Text("MessageId") ?? throw new AwsServiceException(Service.SigningName, "Publish", 200, "EmptyResponse", "no MessageId in the response");
    }

    /// <returns>The topic's ARN (CreateTopic is idempotent for an existing name).</returns>
    public async Task<string> CreateTopicAsync(string name, CancellationToken cancellationToken)
    {
        var result = await CallAsync("CreateTopic", [new("Name", name)], cancellationToken);
        return result.Text("TopicArn") ?? throw new AwsServiceException(Service.SigningName, "CreateTopic", 200, "EmptyResponse", "no TopicArn in the response");
    }

    /// <summary>Subscribes <paramref name="endpointAddress"/>; messages arrive in SNS's JSON envelope (Subject, Message...).</summary>
    public async Task<string> SubscribeAsync(string topicArn, string protocol, string endpointAddress, CancellationToken cancellationToken)
    {
        var result = await CallAsync("Subscribe",
            [new("TopicArn", topicArn), new("Protocol", protocol), new("Endpoint", endpointAddress), new("ReturnSubscriptionArn", "true")], cancellationToken);
        return result.Text("SubscriptionArn") ?? throw new AwsServiceException(Service.SigningName, "Subscribe", 200, "EmptyResponse", "no SubscriptionArn in the response");
    }
}
