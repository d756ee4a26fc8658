using System.Text;
using Remediators.Bench.Proxy;

namespace Remediators.Tests.Bench;

/// <summary>S3 calls are named from their REST shape; the SDK sends sub-resources bare (<c>?encryption</c>).</summary>
public sealed class S3OperationTests
{
    private const string S3Authorization = "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261121/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";

    [Theory]
    [InlineData("GET", "/my-bucket?encryption", "GetBucketEncryption")]
    [InlineData("PUT", "/my-bucket?encryption", "PutBucketEncryption")]
    [InlineData("PUT", "/my-bucket?policy", "PutBucketPolicy")]
    [InlineData("GET", "/my-bucket?tagging=", "GetBucketTagging")]
    [InlineData("PUT", "/my-bucket", "CreateBucket")]
    [InlineData("GET", "/my-bucket?list-type=2", "ListObjectsV2")]
    public void Classify_NamesTheS3Operation(string method, string pathAndQuery, string operation)
    {
        var classified = AwsOperation.Classify(method, new Uri("http://127.0.0.1:5000" + pathAndQuery), S3Authorization, null, null, Encoding.UTF8.GetBytes(""));

        Assert.Equal(new AwsOperation("s3", operation), classified);
    }
}
