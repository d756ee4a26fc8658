using System.Text.Json.Nodes;

namespace Remediators.IntegrationTests.Resilience.Scenario.EndState;

/// <summary>
/// The encryption enforcer in enforce mode with no central key: a bucket an event names, unless exempt or gone, ends
/// encrypted (AES256 when it had no encryption, its own setting kept otherwise) and with exactly one TLS-only Deny statement,
/// every other statement kept; an EBS event turns encryption by default on in its region; a volume is only reported.
/// </summary>
public sealed class EnforcerEndState : IEndStateRules
{
    private static readonly string[] Exempt = ["tagged", "allowlisted"];
    private static readonly string[] EbsSamples = ["config-ec2-ebs-encryption-by-default-noncompliant.json", "disable-ebs-encryption-by-default.json"];

    /// <summary>The statement AWS's guidance gives for TLS-only access, under the Sid the README names.</summary>
    private const string TlsOnlyStatement = """bucket {0}: policy statement {"Sid":"RemediatorsDenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{bucket}","arn:aws:s3:::{bucket}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}""";

    private readonly ScenarioAccount _account;
    private readonly List<string> _lines;

    public EnforcerEndState(ScenarioAccount account, IReadOnlyList<string> initial)
    {
        _account = account;
        _lines = [.. initial.Where(Owns)];
    }

    public bool Owns(string line) => line.StartsWith("bucket ", StringComparison.Ordinal) || line.StartsWith("ebs ", StringComparison.Ordinal);

    public void Apply(ScenarioEvent scenarioEvent)
    {
        var facts = scenarioEvent.Facts;
        if (EbsSamples.Contains(facts.Sample))
        {
            Replace($"ebs {facts.Target}: ", $"ebs {facts.Target}: encryption by default on");
            return;
        }
        if (facts.Target is not { } bucket || !_account.Buckets.ContainsKey(bucket))
            return;
        if (facts.Undone?.Contains("encryption", StringComparison.Ordinal) == true)
            Replace($"bucket {bucket}: encryption ", $"bucket {bucket}: encryption none");
        if (facts.Undone?.Contains("policy", StringComparison.Ordinal) == true)
            SetPolicy(bucket, [PartnerRead(bucket)]);
        if (Exempt.Contains(bucket))
            return;
        if (_lines.Contains($"bucket {bucket}: encryption none"))
            Replace($"bucket {bucket}: encryption ", $"bucket {bucket}: encryption AES256 {ExpectedState.Any}");
        var tls = TlsOnlyStatement.Replace("{0}", bucket, StringComparison.Ordinal);
        if (!_lines.Contains(tls))
            SetPolicy(bucket, [.. Statements(bucket), tls]);
    }

    public IEnumerable<string> Expected() => _lines;

    private void Replace(string prefix, string line)
    {
        _lines.RemoveAll(l => l.StartsWith(prefix, StringComparison.Ordinal));
        _lines.Add(line);
    }

    private IEnumerable<string> Statements(string bucket) =>
        [.. _lines.Where(l => l.StartsWith($"bucket {bucket}: policy statement ", StringComparison.Ordinal))];

    private void SetPolicy(string bucket, IReadOnlyList<string> statements)
    {
        _lines.RemoveAll(l => l.StartsWith($"bucket {bucket}: policy", StringComparison.Ordinal) || l == $"bucket {bucket}: no policy");
        _lines.Add($"bucket {bucket}: policy Version=\"2012-10-17\"");
        _lines.AddRange(statements);
    }

    private string PartnerRead(string bucket)
    {
        var statement = JsonNode.Parse(ScenarioSeeding.ReadOnlyPolicy(_account.Buckets[bucket]))!["Statement"]![0]!.ToJsonString();
        return $"bucket {bucket}: policy statement {statement.Replace(_account.Buckets[bucket], "{bucket}", StringComparison.Ordinal)}";
    }
}
