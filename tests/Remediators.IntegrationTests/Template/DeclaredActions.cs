using System.Collections;
using System.Reflection;
using Remediators.Core.Aws;
using Remediators.Core.Notifications;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// The IAM actions each function's code declares, found by reflection in the function's own assembly so that a gateway or a
/// feature added next to the code is checked without touching the tests: every static <c>IamActions</c> list (always granted)
/// and every <see cref="FeatureActions"/> held in a static field or property (one, or a list of them).
/// </summary>
public static class DeclaredActions
{
    // One type of each function's assembly.
    private static readonly Dictionary<string, Type> Functions = new(StringComparer.Ordinal)
    {
        ["PublicIngressRevoker"] = typeof(global::PublicIngressRevoker.SecurityGroupGateway),
        ["UnusedKeyDisabler"] = typeof(global::UnusedKeyDisabler.AccessKeyGateway),
        ["AttackerIpBlocker"] = typeof(global::AttackerIpBlocker.BlocklistGateway),
        ["BlocklistPruner"] = typeof(global::BlocklistPruner.PrunerGateway),
        ["EncryptionEnforcer"] = typeof(global::EncryptionEnforcer.BucketGateway),
    };

    /// <summary>Outcome publishing, granted to every function alike; events go to a bus only while PublishOutcomeEvents is on.</summary>
    public static readonly FeatureActions OutcomeEvents = new("OutcomeEventsOn", ["events:PutEvents"]);

    // The organization contract of issue 16, granted to every function alike. Core declares the same two (org-core); until
    // that lands they are known here, and the DistinctBy in Features keeps them from counting twice once it has.
    public static readonly FeatureActions MemberTargets = new("MemberTargetsOn", ["sts:AssumeRole"]);
    public static readonly FeatureActions OrganizationTargets = new("OrganizationTargetsOn", ["organizations:DescribeAccount"]);

    /// <summary>
    /// Services a function calls in the hub whatever account it remediates: outcome publishing (sns, events, sqs), the
    /// blocklist (dynamodb, wafv2: one set for the organization) and reaching the target (sts, organizations). The rest of
    /// what its gateways declare it calls in the target account, with its member role (member-roles.yaml).
    /// </summary>
    public static readonly IReadOnlySet<string> HubSideServices =
        new HashSet<string>(["sns", "events", "sqs", "dynamodb", "wafv2", "sts", "organizations"], StringComparer.Ordinal);

    public static IEnumerable<string> FunctionIds => Functions.Keys;

    /// <summary>Actions granted whatever the parameters say: the gateways' and publishing's, less those of a feature.</summary>
    public static IReadOnlySet<string> Always(string functionId)
    {
        var featureOnly = Features(functionId).SelectMany(f => f.Actions).ToHashSet(StringComparer.Ordinal);
        return GatewayActions(functionId).Concat(OutcomePublishingSettings.IamActions).Where(a => !featureOnly.Contains(a)).ToHashSet(StringComparer.Ordinal);
    }

    public static IReadOnlyList<FeatureActions> Features(string functionId) =>
        [.. FeaturesIn(Functions[functionId].Assembly).Append(OutcomeEvents).Append(MemberTargets).Append(OrganizationTargets).DistinctBy(Key)];

    /// <summary>What the function's member role grants whatever the parameters say: its gateways' target-side actions, less those of a feature.</summary>
    public static IReadOnlySet<string> TargetSideAlways(string functionId)
    {
        var featureOnly = TargetSideFeatures(functionId).SelectMany(f => f.Actions).ToHashSet(StringComparer.Ordinal);
        return GatewayActions(functionId).Where(IsTargetSide).Where(a => !featureOnly.Contains(a)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The function's own features, with their target-side actions only (publishing and the organization contract are the hub's).</summary>
    public static IReadOnlyList<FeatureActions> TargetSideFeatures(string functionId) =>
        [.. FeaturesIn(Functions[functionId].Assembly).DistinctBy(Key)
            .Select(f => f with { Actions = [.. f.Actions.Where(IsTargetSide)] }).Where(f => f.Actions.Count > 0)];

    public static bool IsTargetSide(string action) => !HubSideServices.Contains(action.Split(':')[0]);

    public static IReadOnlySet<string> All(string functionId) =>
        Always(functionId).Concat(Features(functionId).SelectMany(f => f.Actions)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Features declared in Core, which no function's assembly declares again, so no test knows whose they are.</summary>
    public static IEnumerable<FeatureActions> UnclaimedCoreFeatures()
    {
        var claimed = Functions.Keys.SelectMany(Features).Select(Key).ToHashSet(StringComparer.Ordinal);
        return FeaturesIn(typeof(FeatureActions).Assembly).Where(f => !claimed.Contains(Key(f)));
    }

    /// <summary>
    /// Whether the action only reads. Describe, Get and List say so; these do too under other names, and a credential report
    /// is generated without changing any user or key.
    /// </summary>
    public static bool IsRead(string action) =>
        action.Split(':')[1] is var verb && (verb.StartsWith("Describe", StringComparison.Ordinal) || verb.StartsWith("Get", StringComparison.Ordinal)
            || verb.StartsWith("List", StringComparison.Ordinal) || OtherReads.Contains(action));

    private static readonly HashSet<string> OtherReads =
        new(["dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "iam:GenerateCredentialReport"], StringComparer.Ordinal);

    private static IEnumerable<string> GatewayActions(string functionId) =>
        StaticValues(Functions[functionId].Assembly, IsActionList, "IamActions").OfType<IEnumerable<string>>().SelectMany(list => list);

    private static string Key(FeatureActions feature) => $"{feature.Condition}: {string.Join(",", feature.Actions.Order(StringComparer.Ordinal))}";

    private static IEnumerable<FeatureActions> FeaturesIn(Assembly assembly) =>
        StaticValues(assembly, HoldsFeatures).SelectMany(value => value switch
        {
            FeatureActions one => [one],
            IEnumerable many => many.OfType<FeatureActions>(),
            _ => [],
        });

    private static IEnumerable<object?> StaticValues(Assembly assembly, Func<Type, bool> ofType, string? named = null) =>
        assembly.GetTypes().Where(t => !t.ContainsGenericParameters).SelectMany(type =>
        {
            const BindingFlags statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            var fields = type.GetFields(statics).Where(f => !f.IsLiteral && (named is null || f.Name == named) && ofType(f.FieldType)).Select(f => f.GetValue(null));
            var properties = type.GetProperties(statics)
                .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0 && (named is null || p.Name == named) && ofType(p.PropertyType))
                .Select(p => p.GetValue(null));
            return fields.Concat(properties);
        });

    private static bool HoldsFeatures(Type type) => type == typeof(FeatureActions) || typeof(IEnumerable<FeatureActions>).IsAssignableFrom(type);

    private static bool IsActionList(Type type) => type != typeof(string) && typeof(IEnumerable<string>).IsAssignableFrom(type);
}
