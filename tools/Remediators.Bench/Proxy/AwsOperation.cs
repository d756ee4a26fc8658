using System.Collections.Specialized;
using System.Text.RegularExpressions;
using System.Web;

namespace Remediators.Bench.Proxy;

/// <summary>One AWS API call as the proxy saw it: the service (from the SigV4 credential scope) and the operation.</summary>
public sealed partial record AwsOperation(string Service, string Name)
{
    private static readonly string[] MutatingPrefixes =
    [
        "Create", "Put", "Update", "Delete", "Revoke", "Authorize", "Enable", "Disable", "Modify", "Reset", "Replace",
        "Attach", "Detach", "Associate", "Disassociate", "Tag", "Untag", "Send", "Set", "Remove", "Add", "BatchWrite",
        "TransactWrite", "Restore", "Upload", "Copy",
    ];

    // S3 sub-resources (query keys) → the operation name each method means on them.
    private static readonly Dictionary<string, string> S3SubResources = new(StringComparer.Ordinal)
    {
        ["encryption"] = "BucketEncryption", ["policy"] = "BucketPolicy", ["tagging"] = "BucketTagging",
        ["publicAccessBlock"] = "PublicAccessBlock", ["versioning"] = "BucketVersioning", ["acl"] = "BucketAcl",
        ["ownershipControls"] = "BucketOwnershipControls", ["policyStatus"] = "BucketPolicyStatus",
        ["website"] = "BucketWebsite",
    };

    // S3 operations whose IAM action has another name; every other service's action is its operation's name.
    private static readonly Dictionary<string, string> S3Actions = new(StringComparer.Ordinal)
    {
        ["GetBucketEncryption"] = "GetEncryptionConfiguration", ["PutBucketEncryption"] = "PutEncryptionConfiguration",
        ["DeleteBucketEncryption"] = "PutEncryptionConfiguration", ["ListObjectsV2"] = "ListBucket", ["HeadBucket"] = "ListBucket",
        ["ListBuckets"] = "ListAllMyBuckets", ["DeleteBucketTagging"] = "PutBucketTagging", ["HeadObject"] = "GetObject",
        ["DeleteBucketPublicAccessBlock"] = "PutBucketPublicAccessBlock", ["DeleteBucketOwnershipControls"] = "PutBucketOwnershipControls",
    };

    /// <summary>Whether the call changes state (S3 and EC2 verbs, DynamoDB writes...); reads and GenerateCredentialReport do not.</summary>
    public bool IsMutating => MutatingPrefixes.Any(prefix => Name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The IAM action a policy must allow for this call, e.g. <c>s3:PutEncryptionConfiguration</c> for PutBucketEncryption.</summary>
    public string IamAction => $"{Service}:{(Service == "s3" ? S3Actions.GetValueOrDefault(Name, Name) : Name)}";

    public override string ToString() => $"{Service}:{Name}";

    /// <summary>Reads the operation from X-Amz-Target (JSON protocols), Action (Query protocols) or the S3 REST shape.</summary>
    public static AwsOperation Classify(string method, Uri url, string? authorization, string? target, string? contentType, byte[] body)
    {
        var service = authorization is not null && CredentialScope().Match(authorization) is { Success: true } scope ? scope.Groups["service"].Value : "unknown";
        if (!string.IsNullOrEmpty(target))
            return new(service, target.Split('.')[^1]);
        var query = HttpUtility.ParseQueryString(url.Query);
        if (query["Action"] is { } queryAction)
            return new(service, queryAction);
        if (contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            && HttpUtility.ParseQueryString(System.Text.Encoding.UTF8.GetString(body))["Action"] is { } formAction)
            return new(service, formAction);
        return new(service, service == "s3" ? S3Operation(method, url, query) : $"{method} {url.AbsolutePath}");
    }

    private static string S3Operation(string method, Uri url, NameValueCollection query)
    {
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var verb = method switch { "GET" => "Get", "PUT" => "Put", "DELETE" => "Delete", "HEAD" => "Head", _ => method };
        // A sub-resource without a value ("?encryption") is a value under the null key.
        var keys = query.AllKeys.OfType<string>().Concat(query.GetValues(null) ?? []);
        if (keys.FirstOrDefault(S3SubResources.ContainsKey) is { } subResource)
            return verb + S3SubResources[subResource];
        return (segments.Length, method) switch
        {
            (0, "GET") => "ListBuckets",
            (1, "PUT") => "CreateBucket",
            (1, "GET") => "ListObjectsV2",
            (1, _) => verb + "Bucket",
            (_, _) => verb + "Object",
        };
    }

    [GeneratedRegex(@"Credential=[^/]+/\d{8}/[^/]+/(?<service>[^/]+)/aws4_request")]
    private static partial Regex CredentialScope();
}
