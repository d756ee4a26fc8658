using System.CommandLine;
using Remediators.Local.Commands;

var root = new RootCommand("Docker-free local tooling for the Remediators Lambda functions")
{
    InvokeCommand.Create(),
    RouteCommand.Create(),
    DemoCommand.Create(),
};

var parseResult = root.Parse(args);
var exitCode = await parseResult.InvokeAsync();
return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
