using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Xunit;
using Remediators.Core.Notifications;
using Remediators.Core.Remediation;
using static Remediators.Tests.Core.Notifications.OutcomeSamples;

namespace Remediators.Tests.Core.Notifications;

public sealed class OutcomeRecordFitTests
{
    [Fact]
    public void Fit_WhenTheRecordFits_ReturnsItWhole()
    {
        var outcome = Remediated(Changed("sg-1", Revoke("sgr-1")), Compliant("sg-2"));

        Assert.Equal(OutcomeRecordFit.Serialize(outcome), OutcomeRecordFit.Fit(outcome, OutcomeMessage.MaxBytes));
    }

    [Fact]
    public void Fit_WhenTooLarge_KeepsTheChangedResourcesFirstAndSaysHowManyItLeftOut()
    {
        var compliant = Enumerable.Range(0, 2_000).Select(i => Compliant($"sg-compliant-{i:D5}"));
        var outcome = Remediated([.. compliant, Changed("sg-changed", Revoke("sgr-1"))]);

        var fitted = JsonNode.Parse(OutcomeRecordFit.Fit(outcome, 8_192))!;

        var listed = fitted["resources"]!.AsArray();
        Assert.Equal("sg-changed", listed[0]!["resourceId"]!.GetValue<string>());
        Assert.Contains($"{listed.Count} of 2001 resources listed here", fitted["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, fitted["counts"]!["RulesRevoked"]!.GetValue<long>());
    }

    [Property(MaxTest = 200)]
    public bool Fit_NeverExceedsItsBudget_AndListsAsManyResourcesAsFit(PositiveInt resourceCount, NonNegativeInt reasonLength, PositiveInt budgetSteps)
    {
        var resources = Enumerable.Range(0, resourceCount.Get % 3_000)
            .Select(i => i % 7 == 0 ? Changed($"sg-{i}", Revoke($"sgr-{i}")) : Compliant($"sg-{i}")).ToArray();
        var outcome = Remediated(resources) with { Reason = new string('r', reasonLength.Get % 20_000) };
        var budget = 4_096 + (budgetSteps.Get % 64 * 4_096);

        var fitted = OutcomeRecordFit.Fit(outcome, budget);

        var listed = JsonNode.Parse(fitted)!["resources"]!.AsArray().Count;
        var oneMore = listed < resources.Length && OutcomeRecordFit.Serialize(outcome).Length > budget;
        return fitted.Length <= budget && (listed == resources.Length || oneMore);
    }
}
