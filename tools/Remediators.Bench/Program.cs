using System.CommandLine;

var root = new RootCommand("Scenario benchmarks of the Remediators functions against moto, through a counting, fault-injecting proxy");
var parseResult = root.Parse(args);
return await parseResult.InvokeAsync();
