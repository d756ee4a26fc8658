using Remediators.Local;
using Remediators.Local.Template;

namespace Remediators.Tests.Local;

public sealed class EnvironmentOverrideTests
{
    private const string Template = """
        Parameters:
          Mode:
            Type: String
            Default: dry-run
          MaxGroups:
            Type: Number
            Default: 25
          TagKey:
            Type: String
            Default: from-default
        Globals:
          Function:
            Environment:
              Variables:
                MODE: !Ref Mode
        Resources:
          Revoker:
            Type: AWS::Serverless::Function
            Properties:
              Handler: Revoker
              Runtime: dotnet10
              Environment:
                Variables:
                  MAX_GROUPS: !Ref MaxGroups
                  TAG_KEY: !Ref TagKey
                  LOG_LEVEL: info
        """;

    [Fact]
    public void ReadForFunction_LetsTheFunctionSectionWinOverParameters()
    {
        using var repo = new TempRepo();
        var path = repo.Write("env.json", """
            {
              "Parameters": { "MODE": "enforce", "LOG_LEVEL": "debug" },
              "Revoker": { "LOG_LEVEL": "trace", "MAX_GROUPS": 3 },
              "Other": { "MODE": "ignored" }
            }
            """);

        Assert.Equal(
            new Dictionary<string, string> { ["MODE"] = "enforce", ["LOG_LEVEL"] = "trace", ["MAX_GROUPS"] = "3" },
            EnvVarsFile.ReadForFunction(path, "Revoker"));
    }

    [Fact]
    public void ResolveConfiguration_LayersDefaultSamconfigCommandLineAndEnvVarsFile()
    {
        using var repo = new TempRepo();
        repo.Write("template.yaml", Template);
        repo.Write("samconfig.toml", """
            [default.deploy.parameters]
            parameter_overrides = "Mode=enforce MaxGroups=10 TagKey=from-samconfig"
            """);
        var envVars = repo.Write("env.json", """{ "Revoker": { "TAG_KEY": "from-env-vars" } }""");
        var request = new InvokeRequest(repo.Root, "Revoker", [])
        {
            ParameterOverrides = ParameterOverrides.Parse(["MaxGroups=5 TagKey=from-command-line"]),
            EnvironmentOverrides = EnvVarsFile.ReadForFunction(envVars, "Revoker"),
        };

        var configuration = new FunctionRunner(TextWriter.Null, TimeProvider.System).ResolveConfiguration(request, "us-east-1");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["MODE"] = "enforce",
                ["MAX_GROUPS"] = "5",
                ["TAG_KEY"] = "from-env-vars",
                ["LOG_LEVEL"] = "info",
            },
            configuration.Environment);
    }

    [Fact]
    public void WithEnvironmentOverrides_IgnoresUndeclaredVariables_AndWarnsNamingThem()
    {
        var warnings = new StringWriter();
        var configuration = new FunctionConfiguration("Revoker", "Revoker", FunctionConfiguration.ManagedRuntime, 3, 128, new Dictionary<string, string> { ["MODE"] = "dry-run" });

        var overridden = configuration.WithEnvironmentOverrides(
            new Dictionary<string, string> { ["MODE"] = "enforce", ["UNDECLARED"] = "x" },
            warnings);

        Assert.Equal(new Dictionary<string, string> { ["MODE"] = "enforce" }, overridden.Environment);
        Assert.Contains("UNDECLARED", warnings.ToString(), StringComparison.Ordinal);
    }
}
