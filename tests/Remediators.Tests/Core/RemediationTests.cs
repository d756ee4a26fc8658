using System.Text.Json;
using Remediators.Core.Remediation;

namespace Remediators.Tests.Core;

public sealed class RemediationTests
{
    private static EnvironmentSettings Env(params (string Name, string Value)[] values) =>
        new(name => values.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void ExemptionPolicy_TagWithMatchingValueOrAllowlistedId_IsExempt()
    {
        var policy = new ExemptionPolicy("remediators:exempt", "true", new HashSet<string> { "sg-allowed" });

        Assert.NotNull(policy.ExemptionReason("sg-1", new Dictionary<string, string> { ["remediators:exempt"] = "TRUE" }));
        Assert.NotNull(policy.ExemptionReason("sg-allowed", new Dictionary<string, string>()));
        Assert.Null(policy.ExemptionReason("sg-1", new Dictionary<string, string> { ["remediators:exempt"] = "false" }));
        Assert.Null(policy.ExemptionReason("sg-1", new Dictionary<string, string>()));
    }

    [Fact]
    public void ExemptionPolicy_WithoutAConfiguredValue_AnyValueOfTheTagExempts() =>
        Assert.NotNull(new ExemptionPolicy("keep", null, new HashSet<string>()).ExemptionReason("b", new Dictionary<string, string> { ["keep"] = "" }));

    [Fact]
    public void Mode_DefaultsToDryRun() => Assert.Equal(RemediationMode.DryRun, Env().Mode());

    [Theory]
    [InlineData("MODE", "on")]
    [InlineData("N", "ten")]
    [InlineData("N", "0")]
    [InlineData("FLAG", "yes")]
    [InlineData("CIDRS", "10.0.0.0/8,not-a-cidr")]
    public void InvalidValues_FailWithTheVariableName(string name, string value)
    {
        var env = Env((name, value));

        var error = Assert.Throws<SettingsException>(() =>
        {
            _ = env.Mode();
            _ = env.WholeNumber("N", 5, 1, 10);
            _ = env.Flag("FLAG", false);
            _ = env.Cidrs("CIDRS");
        });

        Assert.Equal(name, error.Variable);
        Assert.StartsWith($"{name}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void List_DropsBlanksAndTrims() => Assert.Equal(["a", "b"], Env(("L", " a, ,b ,")).List("L"));

    [Fact]
    public void Summarize_PicksTheMostSignificantStatus()
    {
        ResourceResult With(OutcomeStatus s) => ResourceResult.NoChange("r", s, "");

        Assert.Equal(OutcomeStatus.AlreadyCompliant, Outcome.Summarize([]));
        Assert.Equal(OutcomeStatus.Exempt, Outcome.Summarize([With(OutcomeStatus.AlreadyCompliant), With(OutcomeStatus.Exempt)]));
        Assert.Equal(OutcomeStatus.Remediated, Outcome.Summarize([With(OutcomeStatus.Exempt), With(OutcomeStatus.Remediated)]));
        Assert.Equal(OutcomeStatus.Capped, Outcome.Summarize([With(OutcomeStatus.Remediated), With(OutcomeStatus.Capped)]));
    }

    [Fact]
    public void EmfMetrics_DeclaresEveryMetricItWritesByFunctionAndStatusByFunctionByStatusAndByTarget()
    {
        var outcome = new Outcome("Fn", "e", "1", "r", OutcomeStatus.Remediated, "", false,
            [new ResourceResult("sg", OutcomeStatus.Remediated, "", [new Change("RevokeIngress", "sgr", "", new Dictionary<string, string>(), "")])],
            new Dictionary<string, long> { ["RulesRevoked"] = 1 }, 5);

        using var line = JsonDocument.Parse(EmfMetrics.Format(outcome, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), outcomesUnpublished: 2));

        var root = line.RootElement;
        var directive = root.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal(1_700_000_000_000, root.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        Assert.Equal("Remediators", directive.GetProperty("Namespace").GetString());
        Assert.Equal(
            [["Function", "Status"], ["Function"], ["Status"], ["Function", "Account", "Region"]],
            directive.GetProperty("Dimensions").EnumerateArray().Select(set => set.EnumerateArray().Select(d => d.GetString()!).ToArray()));
        Assert.Equal(("1", "r"), (root.GetProperty("Account").GetString(), root.GetProperty("Region").GetString()));
        foreach (var metric in directive.GetProperty("Metrics").EnumerateArray())
            Assert.Equal(JsonValueKind.Number, root.GetProperty(metric.GetProperty("Name").GetString()!).ValueKind);
        Assert.Equal(1, root.GetProperty("Changes").GetInt64());
        Assert.Equal(2, root.GetProperty("OutcomesUnpublished").GetInt64());
        Assert.Equal("Remediated", root.GetProperty("Status").GetString());
    }

    [Fact]
    public void EmfMetrics_OfARefusedEvent_HasNoTargetDimensions()
    {
        using var line = JsonDocument.Parse(EmfMetrics.Format(Outcome.Rejected("Fn", "e", "forged", false), DateTimeOffset.UnixEpoch, 0));

        var directive = line.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal(3, directive.GetProperty("Dimensions").GetArrayLength());
        Assert.False(line.RootElement.TryGetProperty("Account", out _));
    }
}
