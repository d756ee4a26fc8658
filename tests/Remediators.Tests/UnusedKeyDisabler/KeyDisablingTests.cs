using UnusedKeyDisabler;

namespace Remediators.Tests.UnusedKeyDisabler;

public sealed class KeyDisablingTests
{
    [Fact]
    public void Change_WhenAKeyIsDeactivated_TellsHowToReactivateItOnlyOnceItIsSafe()
    {
        var key = new KeyUsage("alice", "AKIAIOSFODNN7EXAMPLE", true, DateTimeOffset.Parse("2024-01-01T00:00:00Z"), null);

        var change = KeyDisabling.Change(key, "unused for 120 days");

        Assert.Equal(
            "Only once the key is known to be safe, reactivate it: aws iam update-access-key --user-name alice --access-key-id AKIAIOSFODNN7EXAMPLE --status Active",
            change.HowToUndo);
    }
}
