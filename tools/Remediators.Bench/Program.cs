using System.CommandLine;
using Remediators.Bench;
using Remediators.Bench.Scenarios;
using Remediators.Bench.Scenarios.ApiCalls;
using Remediators.Bench.Scenarios.ColdStart;
using Remediators.Bench.Scenarios.OrgSweep;

var root = new RootCommand("Scenario benchmarks of the Remediators functions against moto, through a counting, fault-injecting proxy")
{
    ApiCallsScenario.Command(),
    BurstScenario.Command(),
    KeyScanScenario.Command(),
    ColdStartScenario.Command(),
    OrgSweepScenario.Command(),
};
var parseResult = root.Parse(args);
var exitCode = await parseResult.InvokeAsync();
return parseResult.Errors.Count > 0 ? ExitCodes.CouldNotRun : exitCode;
