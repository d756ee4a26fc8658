using EncryptionEnforcer;
using Remediators.Core.Hosting;
using Remediators.Core.Remediation;

namespace Remediators.Tests.EncryptionEnforcer;

/// <summary>The function's gating: dry-run makes no write, and an event outside the function's own account or region makes no call.</summary>
public sealed class EncryptionEnforcerFunctionTests
{
    private const string OwnArn = "arn:aws:lambda:us-east-1:123456789012:function:EncryptionEnforcer";
    private readonly RecordingBuckets _buckets = new();
    private readonly RecordingEbs _ebs = new();

    private Task<Outcome> RunAsync(RemediationMode mode, string sample, string? functionArn = OwnArn, params (string From, string To)[] replacements)
    {
        var json = File.ReadAllText(Path.Combine(RepoPaths.Events, "encryption-enforcer", sample));
        foreach (var (from, to) in replacements)
            json = json.Replace(from, to, StringComparison.Ordinal);
        var function = new Function(new EncryptionEnforcerSettings { Mode = mode }, _ => _buckets, _ => new NoKeys(), _ => _ebs, TimeProvider.System);
        return function.RunAsync(System.Text.Encoding.UTF8.GetBytes(json),
            new InvocationContext("request-1", DateTimeOffset.UtcNow.AddMinutes(1), functionArn, null), CancellationToken.None);
    }

    [Fact]
    public async Task Bucket_InDryRun_ReportsBothPlannedChangesAndWritesNothing()
    {
        var outcome = await RunAsync(RemediationMode.DryRun, "create-bucket.json");

        Assert.Equal(OutcomeStatus.DryRun, outcome.Status);
        Assert.Equal([BucketRemediation.SetEncryptionAction, BucketRemediation.SetPolicyAction], outcome.Resources.Single().Changes.Select(c => c.Action));
        Assert.Empty(_buckets.Writes);
    }

    [Fact]
    public async Task Bucket_InEnforce_WritesWhatTheDryRunPlanned()
    {
        var outcome = await RunAsync(RemediationMode.Enforce, "create-bucket.json");

        Assert.Equal(OutcomeStatus.Remediated, outcome.Status);
        Assert.Equal(["PutEncryption", "PutPolicy"], _buckets.Writes);
    }

    [Fact]
    public async Task Ebs_InDryRun_ReportsThePlanAndEnablesNothing()
    {
        var outcome = await RunAsync(RemediationMode.DryRun, "disable-ebs-encryption-by-default.json");

        Assert.Equal(OutcomeStatus.DryRun, outcome.Status);
        Assert.Equal(EbsRemediation.EnableAction, outcome.Resources.Single().Changes.Single().Action);
        Assert.Equal(0, _ebs.Enables);
    }

    [Theory]
    [InlineData("create-bucket.json", "\"account\": \"123456789012\"", "\"account\": \"210987654321\"", "account 210987654321")]
    [InlineData("create-bucket.json", "\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"eu-west-1\"", "region eu-west-1")]
    [InlineData("config-s3-bucket-ssl-requests-only-noncompliant.json", "\"region\": \"us-east-1\"", "\"region\": \"eu-west-1\"", "region eu-west-1")]
    [InlineData("config-s3-bucket-ssl-requests-only-noncompliant.json", "\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"eu-west-1\"", "region eu-west-1")]
    [InlineData("disable-ebs-encryption-by-default.json", "\"awsRegion\": \"us-east-1\"", "\"awsRegion\": \"eu-west-1\"", "region eu-west-1")]
    public async Task AnEventNamingAnotherAccountOrRegion_IsRejectedBeforeAnyCall(string sample, string from, string to, string named)
    {
        var outcome = await RunAsync(RemediationMode.Enforce, sample, OwnArn, (from, to));

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Contains(named, outcome.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 0), (_buckets.Calls, _ebs.Calls));
    }

    [Fact]
    public async Task AnInvocationWithoutAFunctionArn_IsRejectedBeforeAnyCall()
    {
        var outcome = await RunAsync(RemediationMode.Enforce, "create-bucket.json", functionArn: null);

        Assert.Equal((OutcomeStatus.Rejected, FunctionScope.UnknownScopeReason), (outcome.Status, outcome.Reason));
        Assert.Equal(0, _buckets.Calls);
    }

    /// <summary>A bucket with no encryption and no policy; it records every call and every write.</summary>
    private sealed class RecordingBuckets : IBucketGateway
    {
        public int Calls { get; private set; }
        public List<string> Writes { get; } = [];

        public Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string bucket, string owner, CancellationToken cancellationToken) =>
            Read<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

        public Task<BucketEncryption?> GetEncryptionAsync(string bucket, string owner, CancellationToken cancellationToken) => Read<BucketEncryption?>(null);

        public Task<string?> GetPolicyAsync(string bucket, string owner, CancellationToken cancellationToken) => Read<string?>(null);

        public Task<bool> HasWebsiteAsync(string bucket, string owner, CancellationToken cancellationToken) => Read(false);

        public Task PutEncryptionAsync(string bucket, string owner, BucketEncryption encryption, CancellationToken cancellationToken) => Write("PutEncryption");

        public Task PutPolicyAsync(string bucket, string owner, string policy, CancellationToken cancellationToken) => Write("PutPolicy");

        private Task<T> Read<T>(T value)
        {
            Calls++;
            return Task.FromResult(value);
        }

        private Task Write(string what)
        {
            Calls++;
            Writes.Add(what);
            return Task.CompletedTask;
        }
    }

    /// <summary>EBS encryption by default off; enabling it turns it on.</summary>
    private sealed class RecordingEbs : IEbsGateway
    {
        private bool _encrypted;

        public int Calls { get; private set; }
        public int Enables { get; private set; }

        public Task<bool> IsEncryptedByDefaultAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(_encrypted);
        }

        public Task<string?> GetDefaultKmsKeyIdAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult<string?>(null);
        }

        public Task EnableEncryptionByDefaultAsync(CancellationToken cancellationToken)
        {
            (Calls, Enables, _encrypted) = (Calls + 1, Enables + 1, true);
            return Task.CompletedTask;
        }

        public Task<string?> SetDefaultKmsKeyAsync(string keyArn, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult<string?>(keyArn);
        }
    }

    private sealed class NoKeys : IKmsKeyGateway
    {
        public Task<KeyFacts> DescribeKeyAsync(string keyId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("SSE-S3 is required, so no key is described");
    }
}
