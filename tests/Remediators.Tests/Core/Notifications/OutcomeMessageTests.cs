using System.Text;
using Remediators.Core.Notifications;
using Remediators.Core.Remediation;
using static Remediators.Tests.Core.Notifications.OutcomeSamples;

namespace Remediators.Tests.Core.Notifications;

public sealed class OutcomeMessageTests
{
    [Fact]
    public void Subject_OfARemediation_NamesStatusFunctionResourceAndWhere() =>
        Assert.Equal("Remediated: PublicIngressRevoker sg-1 (123456789012 eu-west-1)",
            OutcomeMessage.Subject(Remediated(Changed("sg-1", Revoke("sgr-1")), Compliant("sg-2"))));

    [Fact]
    public void Subject_WithSeveralChangedResources_CountsTheOthers() =>
        Assert.Equal("Remediated: PublicIngressRevoker sg-1 and 2 more (123456789012 eu-west-1)",
            OutcomeMessage.Subject(Remediated(Changed("sg-1", Revoke("a")), Changed("sg-2", Revoke("b")), Changed("sg-3", Revoke("c")))));

    [Fact]
    public void Subject_IsAsciiWithoutLineBreaksAndUnder100Characters()
    {
        var outcome = Remediated(Changed("bücket-\n" + new string('x', 200), Revoke("sgr-1")));

        var subject = OutcomeMessage.Subject(outcome);

        Assert.True(subject.Length < 100, subject);
        Assert.All(subject, c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public void Text_SaysWhatChangedWhereWhyAndHowToUndoBeforeTheRecord()
    {
        var text = OutcomeMessage.Text(Remediated(Changed("sg-1", Revoke("sgr-1")), Compliant("sg-2")));

        var lines = text.Split('\n');
        Assert.Equal("PublicIngressRevoker made 1 change(s) to 1 resource(s) in account 123456789012, region eu-west-1.", lines[0].TrimEnd());
        Assert.Equal("Why: revoked 1 public rule(s)", lines[1].TrimEnd());
        Assert.Contains("- sg-1 (Remediated): revoked 1 public rule(s)", text, StringComparison.Ordinal);
        Assert.Contains("  * RevokeSecurityGroupIngress sgr-1: tcp 22 open to 0.0.0.0/0", text, StringComparison.Ordinal);
        Assert.Contains("    To undo: aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]'", text, StringComparison.Ordinal);
        Assert.Contains("Other resources: 1 AlreadyCompliant.", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("To undo", StringComparison.Ordinal) < text.IndexOf("{\"function\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_OfADryRun_SaysNothingWasChanged()
    {
        var outcome = Remediated(Changed("sg-1", Revoke("sgr-1"))) with { Status = OutcomeStatus.DryRun, DryRun = true };

        var text = OutcomeMessage.Text(outcome);

        Assert.StartsWith("PublicIngressRevoker would make 1 change(s) to 1 resource(s) in account 123456789012, region eu-west-1; it runs in dry-run mode, so nothing was changed.", text, StringComparison.Ordinal);
        Assert.Contains("Planned (dry run, nothing was changed):", text, StringComparison.Ordinal);
        Assert.DoesNotContain("To undo", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_OfACappedResource_ListsWhatWasHeldBackWithoutAnUndo()
    {
        var heldBack = new ResourceResult("sg-2", OutcomeStatus.Capped, "not changed: at most 1 group per run", [Revoke("sgr-2")]);

        var text = OutcomeMessage.Text(Remediated(Changed("sg-1", Revoke("sgr-1")), heldBack));

        Assert.Contains("- sg-2 (Capped): not changed: at most 1 group per run", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Split("To undo:").Length - 1);
    }

    [Fact]
    public void Text_OfAFailure_SaysItIsRetriedAndWhereItEndsUp()
    {
        var failed = Outcome.Rejected("EncryptionEnforcer", "request-1", "s3 PutBucketEncryption failed (500 InternalError)", false) with { Status = OutcomeStatus.Failed };

        var text = OutcomeMessage.Text(failed);

        Assert.StartsWith("EncryptionEnforcer failed. The event is retried; if it keeps failing it goes to a dead-letter queue.", text, StringComparison.Ordinal);
        Assert.Contains("Why: s3 PutBucketEncryption failed (500 InternalError)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_OfAHugeScan_StaysWithinTheMessageLimit()
    {
        var resources = Enumerable.Range(0, 5_000).Select(i => Changed($"AKIA{i:D16}", Revoke($"sgr-{i}"))).ToArray();

        var text = OutcomeMessage.Text(Remediated(resources));

        Assert.InRange(Encoding.UTF8.GetByteCount(text), 1, OutcomeMessage.MaxBytes);
        Assert.Contains("...and 4975 more resource(s), listed in the record below.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reason")]
    [InlineData("resource id")]
    public void Text_WithAHugeReasonOrResourceId_StaysWithinTheMessageLimitAndKeepsTheRecord(string huge)
    {
        var long300k = string.Concat(Enumerable.Repeat("\ud83d\udd25é", 100_000));
        var resource = Changed(huge == "resource id" ? long300k : "sg-1", Revoke("sgr-1"));
        var outcome = Remediated(resource) with { Reason = huge == "reason" ? long300k : "revoked" };

        var text = OutcomeMessage.Text(outcome);

        Assert.InRange(Encoding.UTF8.GetByteCount(text), 1, OutcomeMessage.MaxBytes);
        Assert.Contains("...(shortened; the outcome record below has every resource)", text, StringComparison.Ordinal);
        Assert.Contains($"Event {outcome.EventId}. The outcome record", text, StringComparison.Ordinal);
        Assert.Contains("\"resources\":[", text, StringComparison.Ordinal);
    }
}
