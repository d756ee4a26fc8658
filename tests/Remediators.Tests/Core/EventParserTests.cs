using System.Text;
using Remediators.Core.Events;

namespace Remediators.Tests.Core;

public sealed class EventParserTests
{
    private static ParseResult Parse(string json) => EventParser.Parse(Encoding.UTF8.GetBytes(json));

    public static TheoryData<string> EverySample() =>
        [.. Directory.GetFiles(RepoPaths.Events, "*.json", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("-batch.json", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoPaths.Events, f))];

    [Theory]
    [MemberData(nameof(EverySample))]
    public void Parse_EverySampleEvent_IsAccepted(string sample)
    {
        var result = EventParser.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Events, sample)));

        Assert.Null(result.Rejection);
        Assert.NotNull(result.Trigger);
    }

    // Fields no decision reads in another shape than GuardDuty's documented one: the finding is still read.
    [Theory]
    [InlineData("\"time\":\"04/12/2026 10:00\"", "\"eventFirstSeen\":\"2026-12-04 10:00:00 +0000\"")]
    [InlineData("\"time\":1733306400", "\"count\":\"many\"")]
    [InlineData("\"time\":{\"at\":\"now\"}", "\"additionalInfo\":[1,2]")]
    public void Parse_AFindingWhoseUnreadFieldsLookUnusual_IsAccepted(string envelopeTime, string serviceField)
    {
        var result = Parse($$$"""
            {"id":"1","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"123456789012","region":"us-east-1",{{{envelopeTime}}},
             "resources":[],"detail":{"id":"f1","type":"Recon:EC2/PortProbeUnprotectedPort","severity":5,"partition":7,
               "resource":{"resourceType":{"odd":true},"instanceDetails":{"instanceId":42,"networkInterfaces":[{"subnetId":"subnet-1","vpcId":null}]}},
               "service":{"resourceRole":"TARGET","eventLastSeen":"2026-12-04T10:00:00Z",{{{serviceField}}}} } }
            """);

        var finding = Assert.IsType<GuardDutyFindingEvent>(result.Trigger);
        Assert.Null(finding.Envelope.Time);
        Assert.Equal(DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), finding.Finding.Service!.EventLastSeen);
        Assert.False(finding.Finding.IsSample);
    }

    [Fact]
    public void Parse_AFindingWhoseLastSeenTimeIsUnreadable_IsRejected() =>
        Assert.Contains("malformed", Parse("""
            {"id":"1","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"123456789012","region":"us-east-1",
             "detail":{"id":"f1","type":"Recon:EC2/PortProbeUnprotectedPort","severity":5,"service":{"eventLastSeen":"yesterday"}}}
            """).Rejection, StringComparison.Ordinal);

    [Theory]
    [InlineData("true", true)]
    [InlineData("\"true\"", true)]
    [InlineData("false", false)]
    [InlineData("null", false)]
    public void IsSample_ReadsGuardDutysSampleFlag(string flag, bool sample)
    {
        var result = Parse($$$"""
            {"id":"1","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"123456789012","region":"us-east-1",
             "detail":{"id":"f1","type":"Recon:EC2/PortProbeUnprotectedPort","severity":5,"service":{"additionalInfo":{"sample":{{{flag}}}} } } }
            """);

        Assert.Equal(sample, Assert.IsType<GuardDutyFindingEvent>(result.Trigger).Finding.IsSample);
    }

    [Fact]
    public void Parse_PascalCaseFieldNames_AreMatchedCaseInsensitively()
    {
        var result = Parse("""
            {"Id":"1","Detail-Type":"Config Rules Compliance Change","Source":"aws.config","Account":"123456789012","Region":"eu-west-1",
             "Detail":{"ResourceId":"sg-1","ResourceType":"AWS::EC2::SecurityGroup","ConfigRuleName":"restricted-ssh",
                       "NewEvaluationResult":{"ComplianceType":"NON_COMPLIANT"}}}
            """);

        var change = Assert.IsType<ComplianceChange>(result.Trigger);
        Assert.True(change.IsNonCompliant);
        Assert.Equal("sg-1", change.Change.ResourceId);
    }

    [Theory]
    [InlineData("", "not an EventBridge event")]
    [InlineData("[]", "not an EventBridge event")]
    [InlineData("null", "payload is null")]
    [InlineData("{\"id\":\"1\"}", "not an EventBridge event")]
    [InlineData("""{"id":"","detail-type":"Scheduled Event","source":"aws.events","account":"1","region":"r","detail":{}}""", "empty 'id'")]
    [InlineData("""{"id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"1","region":"r"}""", "no 'detail' object")]
    [InlineData("""{"id":"1","detail-type":"Object Created","source":"aws.s3","account":"1","region":"r","detail":{}}""", "unsupported event")]
    [InlineData("""{"id":"1","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"1","region":"r","detail":{"id":"f"}}""", "malformed 'GuardDuty Finding' detail")]
    [InlineData("""{"id":"1","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"1","region":"r","detail":{"id":"f","type":"T","severity":"high"}}""", "malformed")]
    public void Parse_MalformedInput_IsRejectedWithAReason(string json, string reason)
    {
        var result = Parse(json);

        Assert.Null(result.Trigger);
        Assert.Contains(reason, result.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ConfigDetailTypeFromAnotherSource_IsRejected()
    {
        var result = Parse("""{"id":"1","detail-type":"Config Rules Compliance Change","source":"attacker.custom","account":"1","region":"r","detail":{}}""");

        Assert.Contains("unsupported event", result.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSqsBatch_AnSqsEvent_ReturnsItsMessages()
    {
        var isBatch = EventParser.TryParseSqsBatch(
            Encoding.UTF8.GetBytes("""{"Records":[{"messageId":"m1","body":"{}","eventSource":"aws:sqs"}]}"""), out var messages, out var rejection);

        Assert.True(isBatch);
        Assert.Null(rejection);
        Assert.Equal("m1", Assert.Single(messages).MessageId);
    }

    [Fact]
    public void TryParseSqsBatch_AnEventBridgeEvent_IsNotABatch() =>
        Assert.False(EventParser.TryParseSqsBatch(Encoding.UTF8.GetBytes("""{"id":"1","detail":{}}"""), out _, out _));

    // Found by the fuzzing suite: each of these used to throw past the parser instead of being rejected.
    [Theory]
    [InlineData("""{"id":"1","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","account":"1","region":"r","detail":{"eventName":"E","eventSource":"S","requestParameters":{"groupId":"sg-\udfff"}}}""", "not valid Unicode")]
    [InlineData("""{"id":"1","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","account":"1","region":"r","detail":{"eventName":"E","eventSource":"S","requestParameters":{"\ud800":1}}}""", "not valid Unicode")]
    [InlineData("""{"id":"1","detail-type":"Config Rules Compliance Change","source":"aws.config","account":"1","region":"r","detail":{"resourceId":"sg-1","resourceType":"T","configRuleName":"c","newEvaluationResult":null}}""", "newEvaluationResult")]
    public void Parse_InputThatUsedToEscapeTheParser_IsRejectedWithAReason(string json, string reason)
    {
        var result = Parse(json);

        Assert.Null(result.Trigger);
        Assert.Contains(reason, result.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseSqsBatch_ANullRecord_IsARejectedBatch()
    {
        var isBatch = EventParser.TryParseSqsBatch(Encoding.UTF8.GetBytes("""{"Records":[null]}"""), out var messages, out var rejection);

        Assert.True(isBatch);
        Assert.Empty(messages);
        Assert.Contains("without messageId or body", rejection, StringComparison.Ordinal);
    }
}
