using System.Text;
using System.Text.Json;
using Remediators.Core.Notifications;
using Remediators.Core.Remediation;
using Remediators.Local.Build;
using Remediators.Local.Demo.Scenarios;
using Remediators.Local.Emulator;
using Remediators.Local.Routing;
using Remediators.Local.Template;

namespace Remediators.Local.Demo;

/// <summary>
/// The whole suite on a laptop: seeds a small vulnerable account in moto, sends each event AWS would send about it
/// through the template's rules (route) to the functions it reaches (invoke), and checks that exactly the expected
/// remediations happened — or, in a dry run, that the same plan is reported and nothing changed. With
/// <c>organization</c> the account is a hub of two member accounts in two regions, which its functions reach through the
/// members' roles.
/// </summary>
internal sealed class DemoRunner(TextWriter output, bool dryRun, bool organization = false)
{
    private const int Steps = 7;
    private readonly List<string> _failures = [];
    private readonly List<string> _outcomeStatuses = [];

    public async Task<int> RunAsync(string repoRoot, CancellationToken cancellationToken)
    {
        Step(1, await MotoInstall.EnsureAsync(cancellationToken));
        await BuildAsync(repoRoot, cancellationToken);
        await using var account = await DemoAccount.StartAsync(repoRoot);
        Step(3, $"moto_server answers on {account.Endpoint} (signature checking on)");
        var published = await OutcomeTargets.CreateAsync(account.Clients, DemoAccount.Region, "remediators-demo-outcomes", cancellationToken);

        Step(4, organization ? "seeding an organization: a hub and two vulnerable member accounts" : "seeding a vulnerable account");
        var (scenarios, targets) = await ScenariosAsync(account, cancellationToken);
        var before = new List<ResourceState>();
        foreach (var scenario in scenarios)
        {
            await scenario.SeedAsync(account, cancellationToken);
            before.AddRange(await scenario.SnapshotAsync(account, cancellationToken));
            Detail(scenario.Description);
        }

        // Parameters are read after seeding: some name what was seeded (the IP sets).
        var parameters = scenarios.SelectMany(s => s.Parameters).Concat(targets).ToDictionary();
        parameters["Mode"] = dryRun ? "dry-run" : "enforce";
        Step(5, $"routing each event through template.yaml and invoking what it reaches ({parameters["Mode"]})");
        var changes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (label, json) in scenarios.SelectMany(s => s.Events(account)))
            changes.UnionWith(await DeliverAsync(account, label, json, parameters, published.Variables, cancellationToken));

        Step(6, "reading what the notification topic and the outcome event bus received");
        await CheckPublishedAsync(published, cancellationToken);

        Step(7, "comparing the account with what was expected");
        var after = new List<ResourceState>();
        foreach (var scenario in scenarios)
            after.AddRange(await scenario.SnapshotAsync(account, cancellationToken));
        var expected = scenarios.SelectMany(s => s.ExpectedChanges).ToList();
        output.WriteLine();
        var table = new StateTable(before, after, expected, dryRun);
        table.Write(output);
        output.WriteLine();
        return Summarize(table, expected.Count, changes.Count);
    }

    /// <returns>The scenarios, and the template parameters that allow their member accounts and regions (none for one account).</returns>
    private async Task<(IDemoScenario[] Scenarios, IReadOnlyDictionary<string, string> Targets)> ScenariosAsync(DemoAccount account, CancellationToken cancellationToken)
    {
        if (!organization)
            return ([new WebStackScenario(), new EncryptionScenario(), new StaleKeyScenario(), new AttackerScenario()], new Dictionary<string, string>());
        var members = await DemoOrganization.CreateAsync(account, Detail, cancellationToken);
        return ([new MemberIngressScenario(members), new MemberKeyScenario(members), new AttackerScenario(members)], members.Parameters);
    }

    private async Task BuildAsync(string repoRoot, CancellationToken cancellationToken)
    {
        var functions = SamTemplate.Load(Path.Combine(repoRoot, RepositoryRoot.TemplateFileName)).FunctionIds;
        Step(2, $"building {functions.Count} functions with their make targets (only when stale)");
        foreach (var function in functions)
        {
            var log = new StringWriter();
            try
            {
                await new FunctionRunner(log, TimeProvider.System).BuildAsync(repoRoot, function, cancellationToken);
            }
            catch (BuildFailedException)
            {
                output.Write(log);
                throw;
            }
        }
    }

    /// <returns>The changes the reached functions made or, in a dry run, planned, as "function resource action target".</returns>
    private async Task<IReadOnlyList<string>> DeliverAsync(
        DemoAccount account, string label, string json, Dictionary<string, string> parameters, IReadOnlyDictionary<string, string> publishing, CancellationToken cancellationToken)
    {
        var eventJson = Encoding.UTF8.GetBytes(json);
        var reached = await new RouteRunner(account.Clients, TextWriter.Null)
            .FunctionsReachedAsync(account.RepoRoot, eventJson, parameters, DemoAccount.Region, cancellationToken);
        Detail($"{label} -> {(reached.Count == 0 ? "no function" : string.Join(", ", reached))}");
        var changes = new List<string>();
        foreach (var function in reached)
        {
            var request = new InvokeRequest(account.RepoRoot, function, eventJson)
            {
                EndpointUrl = account.Endpoint.ToString(),
                Region = DemoAccount.Region,
                ParameterOverrides = parameters,
                EnvironmentOverrides = publishing,
                ProcessEnvironment = account.CredentialVariables,
            };
            var log = new StringWriter();
            var result = await new FunctionRunner(log, TimeProvider.System).InvokeAsync(request, cancellationToken);
            if (!result.Answered)
            {
                _outcomeStatuses.Add(nameof(OutcomeStatus.Failed));
                var error = ErrorMessage(result.Body);
                _failures.Add($"{function} failed on '{label}': {error}");
                Detail($"  {function}: ERROR {error}");
                continue;
            }
            using var outcome = JsonDocument.Parse(result.Body);
            var root = outcome.RootElement;
            _outcomeStatuses.Add(root.GetProperty("status").GetString()!);
            changes.AddRange(root.GetProperty("resources").EnumerateArray()
                .Where(r => r.GetProperty("status").GetString() is "Remediated" or "DryRun")
                .SelectMany(r => r.GetProperty("changes").EnumerateArray().Select(c =>
                    $"{function} {r.GetProperty("resourceId").GetString()} {c.GetProperty("action").GetString()} {c.GetProperty("target").GetString()}")));
            Detail($"  {function}: {root.GetProperty("status").GetString()} - {root.GetProperty("reason").GetString()}");
        }
        return changes;
    }

    /// <summary>Every outcome must have reached the bus, and those of the statuses people are told about the topic.</summary>
    private async Task CheckPublishedAsync(OutcomeTargets published, CancellationToken cancellationToken)
    {
        var subjects = (await published.TakeNotificationsAsync(cancellationToken)).Select(body => Field(body, "Subject")).ToList();
        var eventTypes = (await published.TakeOutcomeEventsAsync(cancellationToken)).Select(body => Field(body, "detail-type")).ToList();
        foreach (var subject in subjects)
            Detail($"notification: {subject}");
        Detail($"outcome events: {string.Join(", ", eventTypes.CountBy(t => t).Select(c => $"{c.Value} {c.Key}"))}");
        var notifiable = _outcomeStatuses.Count(s => Enum.TryParse<OutcomeStatus>(s, out var status) && OutcomePublishingSettings.DefaultNotifyStatuses.Contains(status));
        if (subjects.Count != notifiable)
            _failures.Add($"the topic received {subjects.Count} notification(s), {notifiable} expected");
        if (eventTypes.Count != _outcomeStatuses.Count)
            _failures.Add($"the event bus received {eventTypes.Count} outcome event(s), {_outcomeStatuses.Count} expected");
    }

    private int Summarize(StateTable table, int expectedChanges, int reportedChanges)
    {
        if (reportedChanges != expectedChanges)
            _failures.Add($"the functions reported {reportedChanges} change(s) {(dryRun ? "planned" : "made")}, {expectedChanges} expected");
        if (table.Missing > 0)
            _failures.Add($"{table.Missing} expected change(s) did not happen");
        if (table.Unexpected > 0)
            _failures.Add($"{table.Unexpected} change(s) nobody expected");
        foreach (var failure in _failures)
            output.WriteLine(Fit($"FAIL: {failure}"));
        var summary = dryRun
            ? $"Dry run: {reportedChanges} of {expectedChanges} expected changes planned, {table.ChangesMade} made"
            : $"Enforce: {table.ChangesMade - table.Unexpected} of {expectedChanges} expected changes made, {table.Unexpected} unexpected";
        output.WriteLine($"{summary}: {(_failures.Count == 0 ? "PASS" : "FAIL")}");
        return _failures.Count == 0 ? 0 : 1;
    }

    private void Step(int number, string text) => output.WriteLine($"[{number}/{Steps}] {text}");

    private void Detail(string text) => output.WriteLine(Fit("      " + text));

    private static string Fit(string line) => line.Length <= StateTable.Width ? line : line[..(StateTable.Width - 1)] + "~";

    private static string Field(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).GetString() ?? "";
    }

    private static string ErrorMessage(string errorJson)
    {
        try
        {
            using var error = JsonDocument.Parse(errorJson);
            return error.RootElement.GetProperty("errorMessage").GetString() ?? errorJson;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return errorJson;
        }
    }
}
