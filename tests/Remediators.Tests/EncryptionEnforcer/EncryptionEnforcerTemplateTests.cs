using EncryptionEnforcer;
using Remediators.Core.Aws;
using Remediators.Core.Remediation;
using YamlDotNet.RepresentationModel;

namespace Remediators.Tests.EncryptionEnforcer;

/// <summary>The template routes every trigger the function handles, and nothing can turn encryption off.</summary>
public sealed class EncryptionEnforcerTemplateTests
{
    private static readonly YamlMappingNode Root = LoadTemplate();

    private static YamlMappingNode LoadTemplate()
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Path.Combine(RepoPaths.Root, "template.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Properties =>
        (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Root["Resources"])["EncryptionEnforcer"])["Properties"];

    [Fact]
    public void Rules_MatchEveryCloudTrailEventTheFunctionHandles()
    {
        var patterns = ((YamlMappingNode)Properties["Events"]).Children.Values.Cast<YamlMappingNode>()
            .Select(e => ((YamlMappingNode)e["Properties"])["Pattern"]).OfType<YamlMappingNode>()
            .Where(p => ((YamlMappingNode)p["detail"]).Children.ContainsKey(new YamlScalarNode("eventName")))
            .SelectMany(p => (YamlSequenceNode)((YamlMappingNode)p["detail"])["eventName"])
            .Select(n => ((YamlScalarNode)n).Value!);

        Assert.Equal([.. EncryptionRequest.BucketEventNames, .. EncryptionRequest.EbsEventNames], patterns);
    }

    [Fact]
    public void NeitherThePolicyNorTheCode_CanDisableEncryptionOrDeleteAConfiguration()
    {
        string[] forbiddenActions = ["ec2:DisableEbsEncryptionByDefault", "ec2:ResetEbsDefaultKmsKeyId", "s3:DeleteBucketPolicy", "s3:PutBucketPublicAccessBlock"];
        // Its own statements; the shared outcome publishing policy (a !Ref) is checked action by action in TemplateTests.
        var granted = Statements().SelectMany(s => Actions(s.Statement)).ToList();
        // The SDK methods and request types that would turn protection off; event names in strings are fine.
        string[] forbiddenCalls =
        [
            "DisableEbsEncryptionByDefaultAsync", "DisableEbsEncryptionByDefaultRequest", "ResetEbsDefaultKmsKeyIdAsync",
            "ResetEbsDefaultKmsKeyIdRequest", "DeleteBucketEncryptionAsync", "DeleteBucketPolicyAsync",
        ];
        var code = Directory.GetFiles(Path.Combine(RepoPaths.Root, "functions", "EncryptionEnforcer"), "*.cs").Select(File.ReadAllText).ToList();

        Assert.Empty(granted.Intersect(forbiddenActions));
        Assert.All(forbiddenCalls, call => Assert.DoesNotContain(code, source => source.Contains(call, StringComparison.Ordinal)));
        Assert.DoesNotContain(typeof(IEbsGateway).GetMethods(), m => m.Name.Contains("Disable", StringComparison.Ordinal) || m.Name.Contains("Reset", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string[], string[]> FeatureSettings => new()
    {
        { "true", "", ["s3:PutBucketPolicy"], ["ec2:ModifyEbsDefaultKmsKeyId"] },
        { "false", "arn:aws:kms:us-east-1:123456789012:key/k", ["ec2:ModifyEbsDefaultKmsKeyId"], ["s3:PutBucketPolicy"] },
        { "false", "", [], ["s3:PutBucketPolicy", "ec2:ModifyEbsDefaultKmsKeyId"] },
    };

    [Theory]
    [MemberData(nameof(FeatureSettings))]
    public void Policy_GrantsAFeaturesWritesOnlyWhileTheFeatureIsOn(string tlsOnly, string ebsKey, string[] granted, string[] notGranted)
    {
        var parameters = new Dictionary<string, string> { ["TlsOnlyBucketPolicy"] = tlsOnly, ["EbsDefaultKmsKeyArn"] = ebsKey };

        var actions = Statements().Where(s => s.Condition is null || Holds(Conditions[s.Condition], parameters)).SelectMany(s => Actions(s.Statement)).ToHashSet();

        Assert.All(granted, action => Assert.Contains(action, actions));
        Assert.All(notGranted, action => Assert.DoesNotContain(action, actions));
        Assert.Contains("s3:PutEncryptionConfiguration", actions);
    }

    [Fact]
    public void FeatureActions_AreGrantedOnlyUnderTheirDeclaredCondition()
    {
        FeatureActions[] features = [BucketGateway.TlsOnlyPolicyActions, EbsGateway.DefaultKeyActions];

        foreach (var feature in features)
        {
            var where = Statements().Where(s => Actions(s.Statement).Intersect(feature.Actions).Any()).Select(s => s.Condition).ToList();
            Assert.Equal([feature.Condition], where.Distinct());
            Assert.DoesNotContain(feature.Actions, a => BucketGateway.IamActions.Contains(a) || EbsGateway.IamActions.Contains(a));
        }
    }

    private static YamlMappingNode Conditions => (YamlMappingNode)Root["Conditions"];

    /// <summary>The function's statements, each with the condition of the <c>!If [Condition, statement, !Ref AWS::NoValue]</c> around it.</summary>
    private static IEnumerable<(string? Condition, YamlMappingNode Statement)> Statements() =>
        ((YamlSequenceNode)Properties["Policies"]).OfType<YamlMappingNode>()
            .SelectMany(p => (YamlSequenceNode)p["Statement"])
            .Select(s => s is YamlSequenceNode { Tag.Value: "!If" } conditional
                ? (((YamlScalarNode)conditional[0]).Value, (YamlMappingNode)conditional[1])
                : ((string?)null, (YamlMappingNode)s));

    private static IEnumerable<string> Actions(YamlMappingNode statement) =>
        ((YamlSequenceNode)statement["Action"]).Select(a => ((YamlScalarNode)a).Value!);

    /// <summary>Evaluates the !Equals / !Not conditions the feature statements use, with parameters as given (else their defaults).</summary>
    private static bool Holds(YamlNode condition, IReadOnlyDictionary<string, string> parameters) => condition switch
    {
        YamlSequenceNode { Tag.Value: "!Equals" } equals => Value(equals[0], parameters) == Value(equals[1], parameters),
        YamlSequenceNode { Tag.Value: "!Not" } not => !Holds(not[0], parameters),
        _ => throw new InvalidOperationException($"condition {condition} is not one this test evaluates"),
    };

    private static string Value(YamlNode node, IReadOnlyDictionary<string, string> parameters) => node switch
    {
        YamlScalarNode { Tag: { IsLocal: true, Value: "!Ref" } } reference => parameters.GetValueOrDefault(reference.Value!)
            ?? ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)Root["Parameters"])[reference.Value!])["Default"]).Value!,
        YamlScalarNode scalar => scalar.Value!,
        _ => throw new InvalidOperationException($"{node} is not a value"),
    };
}
