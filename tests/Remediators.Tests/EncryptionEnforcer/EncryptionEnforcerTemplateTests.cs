using EncryptionEnforcer;
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
        var granted = ((YamlSequenceNode)Properties["Policies"]).OfType<YamlMappingNode>()
            .SelectMany(p => (YamlSequenceNode)p["Statement"]).Cast<YamlMappingNode>()
            .SelectMany(s => (YamlSequenceNode)s["Action"]).Select(a => ((YamlScalarNode)a).Value!).ToList();
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
}
