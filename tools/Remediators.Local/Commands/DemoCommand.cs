using System.CommandLine;
using Remediators.Local.Demo;

namespace Remediators.Local.Commands;

/// <summary><c>demo [--dry-run] [--org]</c>: every function end to end on a seeded, vulnerable moto account (or organization).</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var dryRunOption = new Option<bool>("--dry-run") { Description = "Run every function in dry-run mode: the same plan, no change" };
        var organizationOption = new Option<bool>("--org")
        {
            Description = "A hub with two member accounts in two regions instead of one account: the functions act through the members' roles",
        };
        var command = new Command("demo", "Seed a vulnerable account in moto, route its events to the functions, and show what changed")
        {
            dryRunOption,
            organizationOption,
        };
        command.SetAction((parseResult, cancellationToken) => CommandErrors.ReportAsync(() =>
            new DemoRunner(Console.Out, parseResult.GetValue(dryRunOption), parseResult.GetValue(organizationOption)).RunAsync(RepositoryRoot.Find(Directory.GetCurrentDirectory()), cancellationToken)));
        return command;
    }
}
