using Remediators.Local.Build;

namespace Remediators.Tests.Local;

public sealed class FunctionBuilderTests : IDisposable
{
    // Each build appends a line to builds.log, so its line count is the number of builds; the sleep keeps concurrent builds overlapping.
    private static readonly string Makefile = string.Join(
        '\n',
        "build-Revoker:",
        "\tsleep 0.3",
        "\techo built >> builds.log",
        "\ttouch \"$(ARTIFACTS_DIR)/Revoker.dll\"",
        "",
        "build-Broken:",
        "\texit 3",
        "");

    private readonly TempRepo _repo = new();
    private readonly FunctionBuilder _builder = new(TextWriter.Null, TimeProvider.System);

    public FunctionBuilderTests()
    {
        File.SetLastWriteTimeUtc(_repo.Write("Makefile", Makefile), DateTime.UtcNow.AddMinutes(-5));
        File.SetLastWriteTimeUtc(_repo.Write("functions/Revoker/Function.cs", ""), DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task EnsureBuilt_WhenTheArtifactsAreMissing_RunsTheMakeTargetIntoTheArtifactsFolder()
    {
        var artifacts = await _builder.EnsureBuiltAsync(_repo.Root, "Revoker", "Revoker", native: false, CancellationToken.None);

        Assert.Equal(Path.Combine(_repo.Root, ".local", "artifacts", "Revoker", "Revoker.dll"), artifacts.EntryPoint);
        Assert.True(File.Exists(artifacts.EntryPoint));
        Assert.Equal(1, BuildCount());
    }

    [Fact]
    public async Task EnsureBuilt_WhenNothingChanged_DoesNotBuildAgain()
    {
        await _builder.EnsureBuiltAsync(_repo.Root, "Revoker", "Revoker", native: false, CancellationToken.None);
        await _builder.EnsureBuiltAsync(_repo.Root, "Revoker", "Revoker", native: false, CancellationToken.None);

        Assert.Equal(1, BuildCount());
    }

    [Fact]
    public async Task EnsureBuilt_WhenASourceChangedAfterTheBuild_BuildsAgain()
    {
        await _builder.EnsureBuiltAsync(_repo.Root, "Revoker", "Revoker", native: false, CancellationToken.None);
        File.SetLastWriteTimeUtc(Path.Combine(_repo.Root, "functions/Revoker/Function.cs"), DateTime.UtcNow.AddMinutes(1));

        await _builder.EnsureBuiltAsync(_repo.Root, "Revoker", "Revoker", native: false, CancellationToken.None);

        Assert.Equal(2, BuildCount());
    }

    [Fact]
    public async Task EnsureBuilt_CalledConcurrently_BuildsOnce()
    {
        var builds = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => new FunctionBuilder(TextWriter.Null, TimeProvider.System)
                .EnsureBuiltAsync(_repo.Root, "Revoker", "Revoker", native: false, CancellationToken.None)));

        await Task.WhenAll(builds);

        Assert.Equal(1, BuildCount());
    }

    [Fact]
    public async Task EnsureBuilt_WhenMakeFails_ThrowsNamingTheTarget()
    {
        var error = await Assert.ThrowsAsync<BuildFailedException>(
            () => _builder.EnsureBuiltAsync(_repo.Root, "Broken", "Broken", native: false, CancellationToken.None));

        Assert.Contains("make build-Broken", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _repo.Dispose();

    private int BuildCount()
    {
        var log = Path.Combine(_repo.Root, "builds.log");
        return File.Exists(log) ? File.ReadAllLines(log).Length : 0;
    }
}
