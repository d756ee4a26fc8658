using Remediators.Bench.Harness;

namespace Remediators.Tests.Bench;

/// <summary>The burst takes its batch size and concurrency from template.yaml, as Lambda would run the blocker.</summary>
public sealed class TemplateFactsTests
{
    private static readonly TemplateFacts Facts = TemplateFacts.Load(RepoPaths.Root);

    [Fact]
    public void SqsBatchSize_OfTheBlocker_IsTheAttackerBatchSizeDefault()
    {
        Assert.Equal(100, Facts.SqsBatchSize("AttackerIpBlocker"));
    }

    [Fact]
    public void ReservedConcurrency_OfTheBlocker_IsOne()
    {
        Assert.Equal(1, Facts.ReservedConcurrency("AttackerIpBlocker"));
    }
}
