namespace Remediators.Local.Demo;

/// <summary>One part of the demo's vulnerable account: what it seeds, the events it triggers and the state it expects after.</summary>
internal interface IDemoScenario
{
    /// <summary>What is seeded, for the progress line.</summary>
    string Description { get; }

    /// <summary>Template parameters the scenario's functions need (beyond Mode).</summary>
    IReadOnlyDictionary<string, string> Parameters { get; }

    Task SeedAsync(DemoAccount account, CancellationToken cancellationToken);

    /// <summary>The events AWS would send about what was seeded: (label, EventBridge event JSON).</summary>
    IReadOnlyList<(string Label, string Json)> Events(DemoAccount account);

    Task<IReadOnlyList<ResourceState>> SnapshotAsync(DemoAccount account, CancellationToken cancellationToken);

    /// <summary>Every item that must differ from its seeded value after an enforce run; all others must be unchanged.</summary>
    IReadOnlyList<ExpectedItem> ExpectedChanges { get; }
}
