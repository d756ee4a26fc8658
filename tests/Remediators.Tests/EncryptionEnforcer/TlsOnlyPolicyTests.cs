using System.Text.Json;
using EncryptionEnforcer;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Remediators.Tests.EncryptionEnforcer;

public sealed class TlsOnlyPolicyTests
{
    private const string Bucket = "example-bucket";
    private static readonly string Ours = TlsOnlyPolicy.Statement(Bucket, "aws");

    [Fact]
    public void Statement_DeniesEveryS3ActionWithoutTls_OnTheBucketAndItsObjects()
    {
        using var statement = JsonDocument.Parse(TlsOnlyPolicy.Statement(Bucket, "aws-us-gov"));
        var root = statement.RootElement;

        Assert.Equal(("Deny", "*", "s3:*"), (root.GetProperty("Effect").GetString(), root.GetProperty("Principal").GetString(), root.GetProperty("Action").GetString()));
        Assert.Equal(["arn:aws-us-gov:s3:::example-bucket", "arn:aws-us-gov:s3:::example-bucket/*"], root.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("false", root.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
    }

    [Fact]
    public void Merge_WithoutAPolicy_WritesAVersionedPolicyWithOnlyOurStatement()
    {
        var merged = Assert.IsType<PolicyMerge.Updated>(TlsOnlyPolicy.Merge(null, Bucket, "aws"));

        Assert.Equal($$"""{"Version":"2012-10-17","Statement":[{{Ours}}]}""", merged.Policy);
    }

    [Fact]
    public void Merge_WithASingleStatementObject_KeepsItAndAddsOursInAList()
    {
        const string theirs = """{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/public/*"}""";

        var merged = Assert.IsType<PolicyMerge.Updated>(TlsOnlyPolicy.Merge($$"""{"Version":"2012-10-17","Statement":{{theirs}}}""", Bucket, "aws"));

        Assert.Equal($$"""{"Version":"2012-10-17","Statement":[{{theirs}},{{Ours}}]}""", merged.Policy);
    }

    [Fact]
    public void Merge_WhenOursIsPresentWithOtherWhitespaceAndKeyOrder_IsUnchanged()
    {
        var reordered = """{ "Effect": "Deny", "Sid": "RemediatorsDenyInsecureTransport", "Principal": "*", "Action": "s3:*", "Condition": { "Bool": { "aws:SecureTransport": "false" } }, "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"] }""";

        Assert.IsType<PolicyMerge.Unchanged>(TlsOnlyPolicy.Merge($$"""{"Version":"2012-10-17","Statement":[{{reordered}}]}""", Bucket, "aws"));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"Version":"2012-10-17"}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":"Allow everything"}""")]
    [InlineData("""{"Statement":[],"Statement":[]}""")]
    public void Merge_WithAPolicyItCannotRead_RefusesRatherThanRewritingIt(string policy) =>
        Assert.IsType<PolicyMerge.Refused>(TlsOnlyPolicy.Merge(policy, Bucket, "aws"));

    [Fact]
    public void Merge_WhenTheResultWouldExceed20KB_RefusesInsteadOfTruncating()
    {
        var theirs = $$"""{"Sid":"Big","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/{{new string('x', 20_200)}}"}""";
        var policy = $$"""{"Version":"2012-10-17","Statement":[{{theirs}}]}""";
        Assert.True(policy.Length <= TlsOnlyPolicy.MaxPolicyBytes);

        var refused = Assert.IsType<PolicyMerge.Refused>(TlsOnlyPolicy.Merge(policy, Bucket, "aws"));

        Assert.Contains("over S3's 20480-byte limit", refused.Reason, StringComparison.Ordinal);
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool Merge_KeepsEveryOtherStatementByteForByteInOrder_AndHoldsExactlyOneOfOurs(string[] theirs, int staleCopies)
    {
        var stale = Ours.Replace("arn:aws:", "arn:aws-cn:", StringComparison.Ordinal);
        var statements = theirs.Concat(Enumerable.Repeat(stale, Math.Abs(staleCopies % 3))).ToList();
        var policy = $$"""{"Version":"2012-10-17","Id":"theirs","Statement":[{{string.Join(", ", statements)}}]}""";

        var merged = Assert.IsType<PolicyMerge.Updated>(TlsOnlyPolicy.Merge(policy, Bucket, "aws"));

        using var document = JsonDocument.Parse(merged.Policy);
        var raw = document.RootElement.GetProperty("Statement").EnumerateArray().Select(s => s.GetRawText()).ToList();
        return raw.Where(s => s != Ours).SequenceEqual(theirs) && raw.Count(s => s == Ours) == 1
            && document.RootElement.GetProperty("Id").GetString() == "theirs";
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool Merge_OfItsOwnResult_ChangesNothing(string[] theirs)
    {
        var policy = $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", theirs)}}]}""";
        var once = Assert.IsType<PolicyMerge.Updated>(TlsOnlyPolicy.Merge(policy, Bucket, "aws"));
        return TlsOnlyPolicy.Merge(once.Policy, Bucket, "aws") is PolicyMerge.Unchanged;
    }

    public static class Arbitraries
    {
        /// <summary>Statements as users write them: varied key order, spacing, escapes and non-ASCII text, never our Sid.</summary>
        public static Arbitrary<string[]> Statements() =>
            Gen.ArrayOf(
                from sid in Gen.Elements("", "\"Sid\": \"ReadOnly\", ", "\"Sid\":\"Audit\u00e9\",", "\"Sid\" : \"With\\\"Quote\", ")
                from effect in Gen.Elements("Allow", "Deny")
                from action in Gen.Elements("\"s3:GetObject\"", "[\"s3:PutObject\",  \"s3:DeleteObject\"]", "\"s3:*\"")
                from path in Gen.Elements("*", "logs/*", "caf\u00e9/+/<x>&y", "a\\u002Fb")
                from spacing in Gen.Elements("", " ", "\n    ")
                select $$"""{{{spacing}}{{sid}}"Effect": "{{effect}}",{{spacing}}"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":{{action}},"Resource":"arn:aws:s3:::example-bucket/{{path}}"}""")
            .ToArbitrary();
    }
}
