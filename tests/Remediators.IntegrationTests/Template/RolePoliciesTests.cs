using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>The policy reading PolicyTests relies on, on templates small enough to see what each grant should be.</summary>
public sealed class RolePoliciesTests
{
    private const string Template = """
        {
          "Parameters": { "NaclDeny": { "Type": "String", "Default": "false" } },
          "Conditions": { "NaclDenyOn": { "Fn::Equals": [{ "Ref": "NaclDeny" }, "true"] }, "NaclDenyOff": { "Fn::Not": [{ "Condition": "NaclDenyOn" }] } },
          "Resources": {
            "Fn": { "Type": "AWS::Lambda::Function", "Properties": { "Role": { "Fn::GetAtt": ["FnRole", "Arn"] } } },
            "Shared": { "Type": "AWS::IAM::ManagedPolicy", "Properties": { "PolicyDocument": { "Statement": [
              { "Effect": "Allow", "Action": "sns:Publish", "Resource": "arn:aws:sns:us-east-1:123456789012:topic" } ] } } },
            "FnRole": { "Type": "AWS::IAM::Role", "Properties": {
              "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", { "Ref": "Shared" }],
              "Policies": [{ "PolicyName": "p", "PolicyDocument": { "Statement": [
                { "Effect": "Allow", "Action": ["ec2:DescribeNetworkAcls", "ec2:DeleteNetworkAcl"], "Resource": "*" },
                { "Fn::If": ["NaclDenyOn", { "Effect": "Allow", "Action": ["ec2:CreateNetworkAclEntry"], "Resource": "*" }, { "Ref": "AWS::NoValue" }] },
                { "Effect": "Allow", "Action": ["ec2:ReplaceNetworkAclEntry"], "Resource": { "Fn::If": ["NaclDenyOff", { "Ref": "AWS::NoValue" }, "*"] } },
                STATEMENT
              ] } }]
            } }
          }
        }
        """;

    private const string NoStatement = """{ "Effect": "Allow", "Action": ["ec2:DescribeNetworkAcls"], "Resource": "*" }""";

    [Fact]
    public void Granted_FollowsTheConditions_FromTheParameterDefaultsUnlessForced()
    {
        Assert.Equal(["ec2:DeleteNetworkAcl", "ec2:DescribeNetworkAcls", "sns:Publish"], Granted(NoStatement, []));
        Assert.Equal(["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl", "ec2:DescribeNetworkAcls", "ec2:ReplaceNetworkAclEntry", "sns:Publish"],
            Granted(NoStatement, new() { ["NaclDenyOn"] = true }));
        Assert.Equal(["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl", "ec2:DescribeNetworkAcls", "ec2:ReplaceNetworkAclEntry", "sns:Publish"],
            Granted(NoStatement, [], new() { ["NaclDeny"] = "true" }));
    }

    [Theory]
    [InlineData("""{ "Effect": "Deny", "Action": "ec2:DeleteNetworkAcl", "Resource": "*" }""")]
    [InlineData("""{ "Effect": "Deny", "Action": ["ec2:DeleteNetworkAcl"], "Resource": "*", "Condition": { "Bool": { "aws:ViaAWSService": "false" } } }""")]
    [InlineData("""{ "Effect": "Deny", "NotAction": ["ec2:DescribeNetworkAcls", "sns:Publish"], "Resource": "*" }""")]
    public void Granted_LeavesOutWhatADenyNames(string deny)
    {
        Assert.Equal(["ec2:DescribeNetworkAcls", "sns:Publish"], Granted(deny, []));
    }

    private static List<string> Granted(string statement, Dictionary<string, bool> forced, Dictionary<string, string>? parameters = null)
    {
        using var document = JsonDocument.Parse(Template.Replace("STATEMENT", statement, StringComparison.Ordinal));
        return [.. new RolePolicies(document.RootElement, forced, parameters).GrantedActions("Fn").Order(StringComparer.Ordinal)];
    }
}
