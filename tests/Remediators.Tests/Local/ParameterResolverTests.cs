using Remediators.Local;
using Remediators.Local.Template;

namespace Remediators.Tests.Local;

public sealed class ParameterResolverTests
{
    private static readonly SamTemplate Template = SamTemplate.Parse(new StringReader("""
        Parameters:
          Mode:
            Type: String
            Default: dry-run
          MaxGroups:
            Type: Number
            Default: 25
          Required:
            Type: String
        Resources: {}
        """));

    private static readonly Dictionary<string, string> None = [];

    [Fact]
    public void Resolve_WithoutOverrides_UsesTemplateDefaults()
    {
        var values = ParameterResolver.Resolve(Template, None, Overrides("Required=r"));

        Assert.Equal(("dry-run", "25"), (values["Mode"], values["MaxGroups"]));
    }

    [Fact]
    public void Resolve_WhenSamconfigOverridesDefault_UsesSamconfigValue()
    {
        var values = ParameterResolver.Resolve(Template, Overrides("Mode=enforce Required=r"), None);

        Assert.Equal("enforce", values["Mode"]);
    }

    [Fact]
    public void Resolve_WhenCommandLineOverridesSamconfig_UsesCommandLineValue()
    {
        var values = ParameterResolver.Resolve(Template, Overrides("Mode=enforce MaxGroups=5 Required=r"), Overrides("Mode=dry-run"));

        Assert.Equal(("dry-run", "5"), (values["Mode"], values["MaxGroups"]));
    }

    [Fact]
    public void Resolve_WhenAParameterHasNoDefaultAndNoOverride_NamesIt()
    {
        var error = Assert.Throws<ConfigurationException>(() => ParameterResolver.Resolve(Template, None, None));

        Assert.Contains("Required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsSpaceSeparatedPairsWithQuotedValues() =>
        Assert.Equal(
            new Dictionary<string, string> { ["A"] = "1", ["B"] = "x y", ["C"] = "it's", ["D"] = "" },
            ParameterOverrides.Parse(["A=1 B=\"x y\"  C=\"it's\" D="]));

    [Fact]
    public void Parse_ReadsSamsParameterKeyParameterValueForm() =>
        Assert.Equal(
            new Dictionary<string, string> { ["Mode"] = "enforce", ["Cidrs"] = "10.0.0.0/8,192.168.0.0/16" },
            ParameterOverrides.Parse(["ParameterKey=Mode,ParameterValue=enforce", "ParameterKey=Cidrs,ParameterValue=10.0.0.0/8,192.168.0.0/16"]));

    [Fact]
    public void Parse_WhenAKeyRepeats_KeepsTheLastValue() =>
        Assert.Equal("2", ParameterOverrides.Parse(["Mode=1", "Mode=2"])["Mode"]);

    [Theory]
    [InlineData("NoEquals")]
    [InlineData("=value")]
    [InlineData("A=\"unterminated")]
    public void Parse_RejectsTextThatIsNotAnOverride(string text) =>
        Assert.Throws<ConfigurationException>(() => ParameterOverrides.Parse([text]));

    [Fact]
    public void ReadDeployParameterOverrides_ReadsTheStringForm()
    {
        using var repo = new TempRepo();
        repo.Write("samconfig.toml", """
            version = 0.1
            [default.deploy.parameters]
            stack_name = "remediators"
            parameter_overrides = "Mode=enforce ExemptTagKey=\"remediators:exempt now\""
            [prod.deploy.parameters]
            parameter_overrides = "Mode=other"
            """);

        Assert.Equal(
            new Dictionary<string, string> { ["Mode"] = "enforce", ["ExemptTagKey"] = "remediators:exempt now" },
            SamConfig.ReadDeployParameterOverrides(repo.Root));
    }

    [Fact]
    public void ReadDeployParameterOverrides_ReadsTheArrayForm()
    {
        using var repo = new TempRepo();
        repo.Write("samconfig.toml", """
            version = 0.1
            [default.deploy.parameters]
            parameter_overrides = ["Mode=enforce", "ParameterKey=MaxGroups,ParameterValue=3"]
            """);

        Assert.Equal(
            new Dictionary<string, string> { ["Mode"] = "enforce", ["MaxGroups"] = "3" },
            SamConfig.ReadDeployParameterOverrides(repo.Root));
    }

    [Fact]
    public void ReadDeployParameterOverrides_WithoutSamconfig_IsEmpty()
    {
        using var repo = new TempRepo();

        Assert.Empty(SamConfig.ReadDeployParameterOverrides(repo.Root));
    }

    private static IReadOnlyDictionary<string, string> Overrides(string text) => ParameterOverrides.Parse([text]);
}
