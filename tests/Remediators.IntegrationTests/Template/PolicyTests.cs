using System.Text.Json;

namespace Remediators.IntegrationTests.Template;

/// <summary>
/// Each function's role, as CloudFormation deploys it (after the SAM transform, every Fn::If chosen), grants exactly the actions
/// its code declares: Allow statements less anything a Deny names, with each feature's actions there only while its condition holds.
/// </summary>
[Collection(TransformedTemplateCollection.Name)]
public sealed class PolicyTests(TransformedTemplate template)
{
    // Lambda delivers outcome records to the destination queues with the function's own role (functions with destinations only:
    // an SQS-triggered function has none, and SAM grants its queue polling itself).
    private const string DestinationAction = "sqs:SendMessage";

    // Writes whose API has no resource-level permissions, so "*" is the only resource a policy can give them.
    private static readonly string[] WritesWithoutResources = ["ec2:EnableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId"];

    // IAM condition keys an Allow may test without refusing the function its own calls: it acts only in its own account, and
    // assumes member roles only in accounts of OrganizationId.
    private static readonly string[] KeysThatKeepOwnCalls = ["aws:ResourceAccount", "aws:ResourceOrgID"];

    public static TheoryData<string> Functions => [.. DeclaredActions.FunctionIds];

    public static TheoryData<string, string> FeaturesOfEachFunction()
    {
        var data = new TheoryData<string, string>();
        foreach (var function in DeclaredActions.FunctionIds)
        {
            // One row per condition: the test checks every feature's actions under it together.
            foreach (var condition in DeclaredActions.Features(function).Select(f => f.Condition).Distinct(StringComparer.Ordinal))
                data.Add(function, condition);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Policy_WithEveryFeatureOn_GrantsExactlyTheActionsTheFunctionDeclares(string function)
    {
        var granted = Policies(function, on: true).GrantedActions(function);

        Assert.Equal(Sorted([.. DeclaredActions.All(function), .. Destination(function)]), Sorted(granted));
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Policy_WithEveryFeatureOff_GrantsOnlyTheActionsEveryRunNeeds(string function)
    {
        var granted = Policies(function, on: false).GrantedActions(function);

        Assert.Equal(Sorted([.. DeclaredActions.Always(function), .. Destination(function)]), Sorted(granted));
    }

    [Theory]
    [MemberData(nameof(FeaturesOfEachFunction))]
    public void FeatureActions_AreGrantedWhileTheirConditionHolds_AndOnlyThen(string function, string condition)
    {
        var actions = DeclaredActions.Features(function).Where(f => f.Condition == condition).SelectMany(f => f.Actions).ToList();
        Assert.True(template.Root.GetProperty("Conditions").TryGetProperty(condition, out _), $"template.yaml has no condition {condition}");
        var settings = ParameterSettings(new RolePolicies(template.Root, NoneForced).ParametersOf(condition))
            .Select(parameters => new RolePolicies(template.Root, NoneForced, parameters)).ToList();
        var on = settings.FirstOrDefault(policies => policies.IsTrue(condition));
        var off = settings.FirstOrDefault(policies => !policies.IsTrue(condition));

        var unguarded = actions.Where(action => StatementGuards.Of(template.Root, function, action).Any(guards => !guards.Contains(condition))).ToList();

        Assert.True(unguarded.Count == 0, $"granted outside !If [{condition}, ...]: {string.Join(", ", unguarded)}");
        Assert.True(on is not null, $"{condition}: no parameter values turn it on");
        Assert.True(off is not null, $"{condition}: no parameter values turn it off");
        Assert.Empty(actions.Except(on.GrantedActions(function)));
        Assert.Empty(actions.Intersect(off.GrantedActions(function)));
    }

    [Fact]
    public void EveryFeatureDeclaredInCore_IsDeclaredAgainByTheFunctionsThatUseIt()
    {
        Assert.Empty(DeclaredActions.UnclaimedCoreFeatures().Select(f => $"{f.Condition}: {string.Join(", ", f.Actions)}"));
    }

    [Fact]
    public void EveryFunction_IsCoveredByThePolicyCheck()
    {
        Assert.Equal(Sorted(template.OfType("AWS::Lambda::Function").Select(f => f.Id)), Sorted(DeclaredActions.FunctionIds));
    }

    [Fact]
    public void NoPolicy_GrantsAWildcardAction_OrByNotActionOrNotResource()
    {
        var broad = DeclaredActions.FunctionIds.SelectMany(function => EveryStatement(function)
            .Where(s => s.Effect == "Allow" && (s.NegatesAction || s.NegatesResource || s.Actions.Any(a => a.Contains('*', StringComparison.Ordinal))))
            .Select(s => $"{function}: {string.Join(", ", s.Actions)}"));

        Assert.Empty(broad);
    }

    [Fact]
    public void Writes_AreGrantedOnNamedResources_UnlessTheirApiHasNone()
    {
        var everywhere = DeclaredActions.FunctionIds.SelectMany(function => EveryStatement(function)
            .Where(s => s.Effect == "Allow" && s.Resources.Contains("*"))
            .SelectMany(s => s.Actions.Where(a => !DeclaredActions.IsRead(a) && !WritesWithoutResources.Contains(a)).Select(a => $"{function}: {a}")));

        Assert.Empty(everywhere);
    }

    private static readonly Dictionary<string, bool> NoneForced = [];

    /// <summary>
    /// Every combination of values for <paramref name="names"/>: each one's default and allowed values, empty, the booleans,
    /// one non-empty value and the words the conditions compare with (TargetAccounts=organization), which between them
    /// reach both sides of the Equals these conditions test.
    /// </summary>
    private IEnumerable<Dictionary<string, string>> ParameterSettings(IEnumerable<string> names)
    {
        IEnumerable<Dictionary<string, string>> settings = [[]];
        var compared = template.Root.GetProperty("Conditions").EnumerateObject().SelectMany(c => ComparedWords(c.Value)).Distinct().ToList();
        foreach (var name in names)
        {
            var parameter = template.Root.GetProperty("Parameters").GetProperty(name);
            string[] candidates = [parameter.GetProperty("Default").ToString(), "", "true", "false", "example", .. compared,
                .. parameter.TryGetProperty("AllowedValues", out var allowed) ? allowed.EnumerateArray().Select(v => v.ToString()) : []];
            settings = settings.SelectMany(setting => candidates.Distinct().Select(value => new Dictionary<string, string>(setting) { [name] = value })).ToList();
        }
        return settings;
    }

    private static IEnumerable<string> ComparedWords(JsonElement condition) => condition.ValueKind switch
    {
        JsonValueKind.Object when condition.TryGetProperty("Fn::Equals", out var operands) =>
            operands.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.String).Select(o => o.GetString()!),
        JsonValueKind.Object => condition.EnumerateObject().SelectMany(p => ComparedWords(p.Value)),
        JsonValueKind.Array => condition.EnumerateArray().SelectMany(ComparedWords),
        _ => [],
    };

    [Fact]
    public void NoAllow_HangsOnAnIamConditionThatCouldRefuseTheFunctionsOwnCalls()
    {
        var conditional = DeclaredActions.FunctionIds.SelectMany(function => EveryStatement(function)
            .Where(s => s.Effect == "Allow" && s.ConditionKeys.Any(k => !KeysThatKeepOwnCalls.Contains(k, StringComparer.OrdinalIgnoreCase)))
            .Select(s => $"{function}: {string.Join(", ", s.Actions)} if {string.Join(", ", s.ConditionKeys)}"));

        Assert.Empty(conditional);
    }

    private IEnumerable<RolePolicies.Statement> EveryStatement(string function) =>
        Policies(function, on: true).Statements(function).Concat(Policies(function, on: false).Statements(function));

    private RolePolicies Policies(string function, bool on) =>
        new(template.Root, DeclaredActions.Features(function).Select(f => f.Condition).Distinct().ToDictionary(c => c, _ => on));

    private string[] Destination(string function) =>
        template.OfType("AWS::Lambda::EventInvokeConfig").Any(c =>
            Intrinsics.Ref(c.Properties.GetProperty("FunctionName")) == function && c.Properties.TryGetProperty("DestinationConfig", out _))
            ? [DestinationAction]
            : [];

    private static List<string> Sorted(IEnumerable<string> actions) => [.. actions.Distinct().Order(StringComparer.Ordinal)];
}
