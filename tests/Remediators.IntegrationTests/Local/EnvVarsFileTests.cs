using System.Text;
using System.Text.Json;
using Remediators.IntegrationTests.Fixtures;
using Remediators.Local;
using Remediators.Local.Template;
using static Remediators.IntegrationTests.Fixtures.Seed;

namespace Remediators.IntegrationTests.Local;

/// <summary>The README's env.local.json, as `sam local invoke --env-vars` reads it, points a function at an emulator.</summary>
[Collection(MotoCollection.Name)]
public sealed class EnvVarsFileTests(MotoServer moto)
{
    private static readonly string EnvFile = Path.Combine(LocalInvoke.RepoRoot, "env.local.json");

    [Fact]
    public void EnvLocalJson_NamesOnlyVariablesEveryFunctionDeclares()
    {
        var template = SamTemplate.Load(Path.Combine(LocalInvoke.RepoRoot, "template.yaml"));
        var warnings = new StringWriter();
        var parameters = template.Parameters.Values.ToDictionary(p => p.Name, p => p.Default ?? "");
        var evaluator = new IntrinsicEvaluator(template, parameters, MotoServer.Region, TextWriter.Null);

        foreach (var function in template.FunctionIds)
        {
            FunctionConfiguration.Resolve(template.GetFunction(function), evaluator)
                .WithEnvironmentOverrides(EnvVarsFile.ReadForFunction(EnvFile, function), warnings);
        }

        Assert.Equal("", warnings.ToString());
    }

    [Fact]
    public async Task Invoke_WithTheEmulatorEndpointOnlyInTheEnvVarsFile_ReachesTheEmulator()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), $"env-vars-{Guid.NewGuid():N}"[..20]);
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"));
        var overrides = EnvVarsFile.ReadForFunction(EnvFile, "PublicIngressRevoker")
            .ToDictionary(v => v.Key, v => v.Key == "REMEDIATORS_ENDPOINT_URL" ? moto.Endpoint.ToString() : v.Value);
        var request = new InvokeRequest(LocalInvoke.RepoRoot, "PublicIngressRevoker", Encoding.UTF8.GetBytes(
            LocalInvoke.SampleEvent("public-ingress-revoker/authorize-security-group-ingress.json", ("sg-0a1b2c3d4e5f60718", group))))
        {
            EnvironmentOverrides = overrides,
            // This test process's own AWS_ENDPOINT_URL (moto) must not be what the function follows.
            ProcessEnvironment = new Dictionary<string, string>(moto.FunctionEnvironment()) { ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true" },
        };

        var result = await LocalInvoke.Runner(TextWriter.Null).InvokeAsync(request);

        Assert.True(result.Answered, result.Body + result.Logs);
        using var outcome = JsonDocument.Parse(result.Body);
        Assert.Equal("DryRun", outcome.RootElement.GetProperty("status").GetString());
        Assert.Equal(group, outcome.RootElement.GetProperty("resources")[0].GetProperty("resourceId").GetString());
    }
}
