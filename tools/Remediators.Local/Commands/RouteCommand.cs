using System.CommandLine;
using Amazon.Runtime.Credentials;
using Remediators.Core.Aws;
using Remediators.Local.Emulator;
using Remediators.Local.Routing;
using Remediators.Local.Template;

namespace Remediators.Local.Commands;

/// <summary><c>route --event file</c>: which functions of template.yaml the event reaches, decided by EventBridge on moto.</summary>
internal static class RouteCommand
{
    public static Command Create()
    {
        var eventOption = new Option<FileInfo>("--event", "-e") { Description = "JSON file with the EventBridge event", Required = true };
        var endpointOption = new Option<string?>("--endpoint-url")
        {
            Description = "A running moto (or other emulator) to use; credentials come from the environment. Default: start moto_server",
        };
        var parametersOption = new Option<string[]>("--parameter-overrides")
        {
            Description = "Template parameter values: Key=Value or ParameterKey=Key,ParameterValue=Value",
            AllowMultipleArgumentsPerToken = true,
        };
        var regionOption = new Option<string?>("--region") { Description = "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)" };

        var command = new Command("route", "Print which functions of template.yaml an event reaches, using the template's rules on moto's EventBridge")
        {
            eventOption, endpointOption, parametersOption, regionOption,
        };
        command.SetAction((parseResult, cancellationToken) => CommandErrors.ReportAsync(async () =>
        {
            var file = parseResult.GetRequiredValue(eventOption);
            var eventJson = file.Exists ? File.ReadAllBytes(file.FullName) : throw new ConfigurationException($"Event file not found: {file.FullName}");
            var region = parseResult.GetValue(regionOption)
                ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? FunctionRunner.DefaultRegion;
            var overrides = ParameterOverrides.Parse(parseResult.GetValue(parametersOption) ?? []);

            await using var moto = parseResult.GetValue(endpointOption) is null ? await LocalMoto.StartAsync("remediators-route") : null;
            var endpoint = moto?.Endpoint ?? new Uri(parseResult.GetValue(endpointOption)!);
            var credentials = moto?.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
            var aws = new AwsClients(credentials, new HttpClient(), RetryBackoff.Default, endpoint);

            var routes = await new RouteRunner(aws, Console.Error).RoutesTakenAsync(
                RepositoryRoot.Find(Directory.GetCurrentDirectory()), eventJson, overrides, region, cancellationToken);
            foreach (var route in routes)
                await Console.Out.WriteLineAsync(route.ToString());
            if (routes.Count == 0)
                await Console.Out.WriteLineAsync("(no function)");
            return ExitCodes.Success;
        }));
        return command;
    }
}
