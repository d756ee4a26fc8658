using Remediators.Local.Build;

namespace Remediators.Tests.Local;

public sealed class FunctionArtifactsTests
{
    [Fact]
    public void For_ANativeBuild_StartsItsBootstrapFromItsOwnFolderButSharesTheFunctionsLock()
    {
        var managed = FunctionArtifacts.For("/repo", "Revoker", "RevokerAssembly");
        var native = FunctionArtifacts.For("/repo", "Revoker", "RevokerAssembly", native: true);

        Assert.Equal(("/repo/.local/artifacts/Revoker", "/repo/.local/artifacts/Revoker/RevokerAssembly.dll"), (managed.Folder, managed.EntryPoint));
        Assert.Equal(("/repo/.local/artifacts/Revoker-native", "/repo/.local/artifacts/Revoker-native/bootstrap"), (native.Folder, native.EntryPoint));
        Assert.NotEqual(managed.StampFile, native.StampFile);
        Assert.Equal(managed.LockFile, native.LockFile);
    }
}
