using Amazon.SQS;
using Remediators.Core.Aws;
using Remediators.Local.Template;

namespace Remediators.Local.Routing;

/// <summary>Which functions of template.yaml an event reaches, with the rules' patterns resolved like <c>invoke</c> resolves parameters.</summary>
public sealed class RouteRunner(AwsClients aws, TextWriter warnings)
{
    /// <param name="parameterOverrides">Template parameter values; they win over samconfig.toml and the template's defaults.</param>
    public async Task<IReadOnlyList<string>> FunctionsReachedAsync(
        string repoRoot, byte[] eventJson, IReadOnlyDictionary<string, string> parameterOverrides, string region, CancellationToken cancellationToken = default) =>
        [.. (await RoutesTakenAsync(repoRoot, eventJson, parameterOverrides, region, cancellationToken)).Select(r => r.FunctionId).Distinct()];

    internal async Task<IReadOnlyList<EventRoute>> RoutesTakenAsync(
        string repoRoot, byte[] eventJson, IReadOnlyDictionary<string, string> parameterOverrides, string region, CancellationToken cancellationToken)
    {
        var template = SamTemplate.Load(Path.Combine(repoRoot, RepositoryRoot.TemplateFileName));
        var parameters = ParameterResolver.Resolve(template, SamConfig.ReadDeployParameterOverrides(repoRoot), parameterOverrides);
        var routes = TemplateRoutes.Read(template, new IntrinsicEvaluator(template, parameters, region, warnings));
        var sqs = aws.Sdk<AmazonSQSClient, AmazonSQSConfig>(region, (credentials, config) => new AmazonSQSClient(credentials, config));
        return await new EventRouter(aws.EventBridge(region), sqs).RouteAsync(routes, eventJson, cancellationToken);
    }
}
