using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Remediators.Core.Remediation;
using UnusedKeyDisabler;

namespace Remediators.Tests.UnusedKeyDisabler;

public sealed class UnusedKeyExemptionTests
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    private static UnusedKeyDisablerSettings Exempting(string[] names, string[] pathPrefixes) => new()
    {
        Exemptions = new ExemptionPolicy(null, null, names.ToHashSet(StringComparer.Ordinal)),
        ExemptUserPathPrefixes = pathPrefixes,
    };

    [Theory]
    [InlineData("break-glass", "/", "break-glass is on the allowlist")]
    [InlineData("BreakGlass", "/", "BreakGlass is on the allowlist as breakglass")]
    [InlineData("svc", "/service-accounts/ci/", "user path /service-accounts/ci/ is under exempt path /service-accounts/")]
    [InlineData("svc", "/svc/", "user path /svc/ is under exempt path /svc")]
    [InlineData("svc", "/svc/x/", "user path /svc/x/ is under exempt path /svc")]
    [InlineData("svc", "/svc-legacy/", null)]
    [InlineData("svc", "/SVC/", null)]
    [InlineData("breakglass2", "/", null)]
    [InlineData("bob", "/", null)]
    public void ExemptionReason_ByNameOrPathPrefix(string userName, string path, string? expected) =>
        Assert.Equal(expected, UnusedKeyPolicy.ExemptionReason(userName, path, NoTags,
            Exempting(["break-glass", "breakglass"], ["/service-accounts/", "/svc"])));

    [Fact]
    public void ExemptionReason_WithTheRootPathAsPrefix_ExemptsEveryUser() =>
        Assert.NotNull(UnusedKeyPolicy.ExemptionReason("bob", "/team/", NoTags, Exempting([], ["/"])));

    [Fact]
    public void ExemptionReason_ByTag_MatchesTheConfiguredValue()
    {
        var settings = new UnusedKeyDisablerSettings { Exemptions = new ExemptionPolicy("remediation", "skip", new HashSet<string>()) };

        Assert.NotNull(UnusedKeyPolicy.ExemptionReason("bob", "/", new Dictionary<string, string> { ["remediation"] = "SKIP" }, settings));
        Assert.Null(UnusedKeyPolicy.ExemptionReason("bob", "/", new Dictionary<string, string> { ["remediation"] = "no" }, settings));
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool ExemptionReason_ExemptsANameWhateverItsCase(UserName name, bool[] upper)
    {
        var variant = new string([.. name.Value.Select((c, i) => i < upper.Length && upper[i] ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c))]);
        return UnusedKeyPolicy.ExemptionReason(name.Value, "/", NoTags, Exempting([variant], [])) is not null;
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool ExemptionReason_NeverExemptsANameThatOnlyStartsWithAnExemptOne(UserName name, UserName tail) =>
        UnusedKeyPolicy.ExemptionReason(name.Value + tail.Value, "/", NoTags, Exempting([name.Value], [])) is null;

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool ExemptionReason_ExemptsEveryPathUnderAPrefixOfWholeSegments(IamPath path, PositiveInt depth, bool trailingSlash)
    {
        var kept = depth.Get % path.Segments.Length + 1;
        var prefix = "/" + string.Join('/', path.Segments.Take(kept)) + (trailingSlash ? "/" : "");
        return UnusedKeyPolicy.ExemptionReason("bob", path.Text, NoTags, Exempting([], [prefix])) is not null;
    }

    [Property(Arbitrary = [typeof(Arbitraries)])]
    public bool ExemptionReason_NeverExemptsAPathWhoseSegmentOnlyStartsWithThePrefixSegment(
        IamPath path, PositiveInt depth, UserName suffix, bool trailingSlash)
    {
        var cut = depth.Get % path.Segments.Length;
        var prefix = "/" + string.Join('/', path.Segments.Take(cut + 1)) + (trailingSlash ? "/" : "");
        var longer = path.Segments.Select((segment, i) => i == cut ? segment + "-" + suffix.Value : segment);
        var userPath = "/" + string.Join('/', longer) + "/";
        return UnusedKeyPolicy.ExemptionReason("bob", userPath, NoTags, Exempting([], [prefix])) is null;
    }

    public sealed record UserName(string Value);

    public sealed record IamPath(string[] Segments)
    {
        public string Text => "/" + string.Join('/', Segments) + "/";
    }

    public static class Arbitraries
    {
        private const string NameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-";

        private static Gen<string> Text(int minLength, int maxLength) =>
            from length in Gen.Choose(minLength, maxLength)
            from chars in Gen.ArrayOf(Gen.Elements(NameCharacters.ToCharArray()), length)
            select new string(chars);

        public static Arbitrary<UserName> Names() => Text(1, 64).Select(t => new UserName(t)).ToArbitrary();

        public static Arbitrary<IamPath> Paths() =>
            (from count in Gen.Choose(1, 4)
             from segments in Gen.ArrayOf(Text(1, 12), count)
             select new IamPath(segments)).ToArbitrary();
    }
}
