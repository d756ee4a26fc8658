using Remediators.Local.Build;

namespace Remediators.Tests.Local;

public sealed class BuildStalenessTests : IDisposable
{
    private static readonly DateTime BuiltAt = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly TempRepo _repo = new();
    private readonly FunctionArtifacts _artifacts;

    public BuildStalenessTests()
    {
        _artifacts = FunctionArtifacts.For(_repo.Root, "Revoker", "Revoker");
        foreach (var input in new[] { "Makefile", "Directory.Build.props", "functions/Revoker/Function.cs", "functions/Revoker/Revoker.csproj" })
        {
            Touch(_repo.Write(input, ""), BuiltAt.AddHours(-1));
        }
    }

    [Fact]
    public void NeedsBuild_WhenNothingChangedSinceTheStamp_IsFalse()
    {
        WriteBuild();

        Assert.False(BuildStaleness.NeedsBuild(_repo.Root, _artifacts));
    }

    [Fact]
    public void NeedsBuild_WhenTheEntryPointIsMissing_IsTrue()
    {
        WriteBuild();
        File.Delete(_artifacts.EntryPoint);

        Assert.True(BuildStaleness.NeedsBuild(_repo.Root, _artifacts));
    }

    [Fact]
    public void NeedsBuild_WhenTheStampIsMissing_IsTrue()
    {
        WriteBuild();
        File.Delete(_artifacts.StampFile);

        Assert.True(BuildStaleness.NeedsBuild(_repo.Root, _artifacts));
    }

    [Theory]
    [InlineData("functions/Revoker/Function.cs")]
    [InlineData("functions/Shared/Deep/Helper.cs")]
    [InlineData("Makefile")]
    [InlineData("Directory.Build.props")]
    [InlineData("Directory.Packages.props")]
    [InlineData("global.json")]
    public void NeedsBuild_WhenAnInputIsNewerThanTheStamp_IsTrue(string input)
    {
        WriteBuild();
        Touch(_repo.Write(input, "changed"), BuiltAt.AddSeconds(1));

        Assert.True(BuildStaleness.NeedsBuild(_repo.Root, _artifacts));
    }

    [Theory]
    [InlineData("functions/Revoker/bin/Release/Revoker.dll")]
    [InlineData("functions/Revoker/obj/project.assets.json")]
    [InlineData("template.yaml")]
    [InlineData("tests/Remediators.Tests/SomeTests.cs")]
    public void NeedsBuild_WhenOnlyNonInputsChanged_IsFalse(string file)
    {
        WriteBuild();
        Touch(_repo.Write(file, "changed"), BuiltAt.AddHours(1));

        Assert.False(BuildStaleness.NeedsBuild(_repo.Root, _artifacts));
    }

    public void Dispose() => _repo.Dispose();

    private void WriteBuild()
    {
        Directory.CreateDirectory(_artifacts.Folder);
        File.WriteAllText(_artifacts.EntryPoint, "");
        File.WriteAllText(_artifacts.StampFile, "");
        Touch(_artifacts.StampFile, BuiltAt);
    }

    private static void Touch(string path, DateTime lastWriteUtc) => File.SetLastWriteTimeUtc(path, lastWriteUtc);
}
