using System.Text;
using System.Text.Json.Nodes;
using AttackerIpBlocker;

namespace Remediators.Tests.AttackerIpBlocker;

public sealed class BlockRequestTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(RepoPaths.Events, "attacker-ip-blocker", name));

    [Fact]
    public void From_TheSqsBatchSample_ReadsEveryFinding()
    {
        var request = BlockRequest.From(Encoding.UTF8.GetBytes(Sample("sqs-batch.json")), "request-1");

        Assert.True(request.IsBatch);
        Assert.Equal(4, request.Findings.Count);
        Assert.Empty(request.Rejected);
        Assert.Equal("c1e3a5b7-1111-4a2b-8c3d-000000000001", request.Findings[0].MessageId);
    }

    [Fact]
    public void From_ABatchWithAMalformedAndAForeignMessage_RejectsOnlyThose()
    {
        var batch = JsonNode.Parse(Sample("sqs-batch.json"))!;
        var records = batch["Records"]!.AsArray();
        records[1]!["body"] = "{ not json";
        records[2]!["body"] = File.ReadAllText(Path.Combine(RepoPaths.Events, "blocklist-pruner", "scheduled-prune.json"));

        var request = BlockRequest.From(Encoding.UTF8.GetBytes(batch.ToJsonString()), "request-1");

        Assert.Equal(2, request.Findings.Count);
        Assert.Equal(["c1e3a5b7-2222-4a2b-8c3d-000000000002", "c1e3a5b7-3333-4a2b-8c3d-000000000003"], request.Rejected.Select(r => r.MessageId));
        Assert.Contains("Scheduled Event events are not handled", request.Rejected[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void From_OneEventBridgeEvent_ReadsItsFinding()
    {
        var request = BlockRequest.From(Encoding.UTF8.GetBytes(Sample("port-probe-several-probers.json")), "request-1");

        Assert.False(request.IsBatch);
        Assert.Equal("c3d9f5a7b2e4d6f8a0b3c5d7e9f1a2b4", Assert.Single(request.Findings).Finding.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"Records\": 5}")]
    public void From_InputThatIsNeitherABatchNorAnEvent_IsRejectedNotThrown(string payload) =>
        Assert.Single(BlockRequest.From(Encoding.UTF8.GetBytes(payload), "request-1").Rejected);

    /// <summary>What a principal with sqs:SendMessage could put on the queue instead of what the findings rule sends.</summary>
    [Theory]
    [InlineData("source", "custom.forged")]
    [InlineData("source", "aws.securityhub")]
    [InlineData("detail-type", "GuardDuty Malware Protection Object Scan Result")]
    [InlineData("bare-detail", "")]
    [InlineData("string-body", "")]
    public void From_ABodyThatIsNotAGuardDutyFindingEvent_IsRejectedAloneAndBlocksNothing(string forgery, string value)
    {
        var batch = JsonNode.Parse(Sample("sqs-batch.json"))!;
        var record = batch["Records"]!.AsArray()[0]!;
        var body = JsonNode.Parse(record["body"]!.GetValue<string>())!;
        record["body"] = forgery switch
        {
            "bare-detail" => body["detail"]!.ToJsonString(),
            "string-body" => JsonValue.Create(body.ToJsonString())!.ToJsonString(),
            _ => Forge(body, forgery, value),
        };

        var request = BlockRequest.From(Encoding.UTF8.GetBytes(batch.ToJsonString()), "request-1");

        Assert.Equal("c1e3a5b7-1111-4a2b-8c3d-000000000001", Assert.Single(request.Rejected).MessageId);
        Assert.Equal(3, request.Findings.Count);
        Assert.DoesNotContain(request.Findings, f => f.MessageId == "c1e3a5b7-1111-4a2b-8c3d-000000000001");
    }

    private static string Forge(JsonNode body, string field, string value)
    {
        body[field] = value;
        return body.ToJsonString();
    }
}
