using System.CommandLine;
using System.Collections.ObjectModel;
using Remediators.Local.Template;

namespace Remediators.Local.Commands;

/// <summary><c>invoke &lt;FunctionLogicalId&gt; --event file</c>: the docker-free stand-in for <c>sam local invoke</c>.</summary>
internal static class InvokeCommand
{
    public static Command Create()
    {
        var functionArgument = new Argument<string>("FunctionLogicalId") { Description = "Logical id of the function in template.yaml" };
        var eventOption = new Option<FileInfo>("--event", "-e") { Description = "JSON file with the event to send", Required = true };
        var endpointOption = new Option<string?>("--endpoint-url") { Description = "Endpoint for every AWS client of the function (AWS_ENDPOINT_URL)" };
        var parametersOption = new Option<string[]>("--parameter-overrides")
        {
            Description = "Template parameter values: Key=Value or ParameterKey=Key,ParameterValue=Value",
            AllowMultipleArgumentsPerToken = true,
        };
        var envVarsOption = new Option<FileInfo?>("--env-vars", "-n") { Description = "JSON file of environment variable overrides, as for sam local invoke" };
        var regionOption = new Option<string?>("--region") { Description = "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)" };

        var command = new Command("invoke", "Build a function if needed and invoke it once with a local Lambda Runtime API")
        {
            functionArgument, eventOption, endpointOption, parametersOption, envVarsOption, regionOption,
        };
        command.SetAction((parseResult, cancellationToken) => CommandErrors.ReportAsync(async () =>
        {
            var logicalId = parseResult.GetRequiredValue(functionArgument);
            var envVarsFile = parseResult.GetValue(envVarsOption);
            var request = new InvokeRequest(
                RepositoryRoot.Find(Directory.GetCurrentDirectory()),
                logicalId,
                ReadEvent(parseResult.GetRequiredValue(eventOption)))
            {
                EndpointUrl = parseResult.GetValue(endpointOption),
                Region = parseResult.GetValue(regionOption),
                ParameterOverrides = ParameterOverrides.Parse(parseResult.GetValue(parametersOption) ?? []),
                EnvironmentOverrides = envVarsFile is null
                    ? ReadOnlyDictionary<string, string>.Empty
                    : EnvVarsFile.ReadForFunction(envVarsFile.FullName, logicalId),
            };

            var result = await new FunctionRunner().InvokeAsync(request, cancellationToken);
            await Console.Out.WriteLineAsync(result.Body);
            return result.Answered ? ExitCodes.Success : ExitCodes.FunctionFailed;
        }));
        return command;
    }

    private static byte[] ReadEvent(FileInfo file) =>
        file.Exists ? File.ReadAllBytes(file.FullName) : throw new ConfigurationException($"Event file not found: {file.FullName}");
}
