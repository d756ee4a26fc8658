using Amazon.EC2.Model;
using Remediators.IntegrationTests.Fixtures;
using static Remediators.IntegrationTests.Fixtures.Seed;

namespace Remediators.IntegrationTests.PublicIngressRevoker;

[Collection(MotoCollection.Name)]
public sealed class PublicIngressRevokerTests(MotoServer moto)
{
    private const string Function = "PublicIngressRevoker";
    private const string SampleGroupId = "sg-0a1b2c3d4e5f60718";
    private static readonly string[] MutatingOperations = ["RevokeSecurityGroupIngress", "AuthorizeSecurityGroupIngress"];

    [Fact]
    public async Task Revoke_WhenGroupIsOpenToTheWorld_RevokesIpv4Ipv6AndAllTrafficButKeepsPrivateAndGroupRules()
    {
        var vpc = await moto.CreateVpcAsync();
        var peer = await moto.CreateSecurityGroupAsync(vpc, Unique("peer"));
        var group = await moto.CreateSecurityGroupAsync(vpc, Unique("backend"));
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"), Tcp(22, 22, "::/0"), AllTraffic("0.0.0.0/0"),
            Tcp(5432, 5432, "10.0.0.0/8"), FromGroup("tcp", 8080, 8080, peer));

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce());

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(3, answer.Count("RulesRevoked"));
        var rules = await moto.IngressRulesAsync(group);
        Assert.DoesNotContain(rules, IsPublic);
        Assert.Contains(rules, r => r.CidrIpv4 == "10.0.0.0/8" && r.FromPort == 5432);
        Assert.Contains(rules, r => r.ReferencedGroupInfo?.GroupId == peer && r.FromPort == 8080);
    }

    [Fact]
    public async Task Revoke_WhenSplitHalvesOpenTheWholeInternet_RevokesThemAndKeepsPrivateSpaceEvenAtTheLowestThreshold()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("halves"));
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/1"), Tcp(22, 22, "128.0.0.0/1"), Tcp(22, 22, "::/1"),
            AllTraffic("10.0.0.0/8"), Tcp(5432, 5432, "100.64.0.0/10"), Tcp(22, 22, "203.0.113.5/32"));

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce(("RevokerPublicIpv4Percent", "1"), ("RevokerPublicIpv6Percent", "1")));

        Assert.Equal("Remediated", answer.Status);
        var left = (await moto.IngressRulesAsync(group)).Select(r => r.CidrIpv4 ?? r.CidrIpv6).Order(StringComparer.Ordinal);
        Assert.Equal(["10.0.0.0/8", "100.64.0.0/10", "203.0.113.5/32"], left);
    }

    [Fact]
    public async Task Revoke_WhenACustomerPrefixListHoldsTheWholeInternet_RevokesTheReferenceAndLeavesTheListAlone()
    {
        var ec2 = moto.Ec2();
        var list = (await ec2.CreateManagedPrefixListAsync(new CreateManagedPrefixListRequest
        {
            PrefixListName = Unique("partners"), AddressFamily = "IPv4", MaxEntries = 5,
            Entries = [new AddPrefixListEntry { Cidr = "0.0.0.0/1" }, new AddPrefixListEntry { Cidr = "128.0.0.0/1" }],
        })).PrefixList.PrefixListId;
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("listed"));
        await moto.OpenIngressAsync(group, new IpPermission
        {
            IpProtocol = "tcp", FromPort = 3389, ToPort = 3389, PrefixListIds = [new PrefixListId { Id = list }],
        });

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce());

        Assert.Equal("Remediated", answer.Status);
        Assert.DoesNotContain(await moto.IngressRulesAsync(group), r => r.PrefixListId == list);
        var entries = await ec2.GetManagedPrefixListEntriesAsync(new GetManagedPrefixListEntriesRequest { PrefixListId = list });
        Assert.Equal(2, entries.Entries.Count);
    }

    // The template's FunctionRuntime option: built with `make NATIVE_AOT=true` and started as its bootstrap, as provided.al2023 does.
    [Fact]
    public async Task Revoke_OnTheNativeAotRuntime_RunsTheBootstrapAndRevokes()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("native"));
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"), Tcp(22, 22, "::/0"));

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce(("FunctionRuntime", "provided.al2023")));

        Assert.True(answer.RanNativeBootstrap, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.DoesNotContain(await moto.IngressRulesAsync(group), IsPublic);
    }

    [Fact]
    public async Task Revoke_WhenAlbGroupOpensPort22AndEveryPort_KeepsOnly80And443()
    {
        var vpc = await moto.CreateVpcAsync("10.1.0.0/16");
        var group = await moto.CreateSecurityGroupAsync(vpc, Unique("alb"));
        await moto.OpenIngressAsync(group, Tcp(80, 80, "0.0.0.0/0"), Tcp(443, 443, "0.0.0.0/0"), Tcp(443, 443, "::/0"),
            Tcp(22, 22, "0.0.0.0/0"), Tcp(0, 65535, "0.0.0.0/0"));
        await moto.CreateApplicationLoadBalancerAsync(vpc, group, Unique("alb"), "10.1");

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce());

        Assert.Equal("Remediated", answer.Status);
        var publicPorts = (await moto.IngressRulesAsync(group)).Where(IsPublic).Select(r => $"{r.FromPort}-{r.ToPort}").Order().ToList();
        Assert.Equal(["443-443", "443-443", "80-80"], publicPorts);
    }

    [Fact]
    public async Task Revoke_WhenAlbGroupIsOpenOnlyThroughWideRules_KeepsItsAllowedPortsOpenOnBothFamilies()
    {
        var vpc = await moto.CreateVpcAsync("10.2.0.0/16");
        var group = await moto.CreateSecurityGroupAsync(vpc, Unique("wide-alb"));
        await moto.OpenIngressAsync(group, AllTraffic("0.0.0.0/0"), Tcp(0, 65535, "::/0"), Tcp(79, 80, "0.0.0.0/0"));
        await moto.CreateApplicationLoadBalancerAsync(vpc, group, Unique("wide"), "10.2");
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce());

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(3, answer.Count("RulesRevoked"));
        Assert.Equal(4, answer.Count("GrantsAdded"));
        var operations = (await recording.StopAsync()).ToList();
        Assert.True(operations.IndexOf("AuthorizeSecurityGroupIngress") < operations.IndexOf("RevokeSecurityGroupIngress"), string.Join(",", operations));
        var publicRules = (await moto.IngressRulesAsync(group)).Where(IsPublic)
            .Select(r => $"{r.CidrIpv4 ?? r.CidrIpv6} {r.IpProtocol} {r.FromPort}-{r.ToPort}").Order(StringComparer.Ordinal);
        Assert.Equal(["0.0.0.0/0 tcp 443-443", "0.0.0.0/0 tcp 80-80", "::/0 tcp 443-443", "::/0 tcp 80-80"], publicRules);
    }

    [Fact]
    public async Task Revoke_WhenWideAlbRulesAreToBeReported_LeavesTheWideRuleAndRevokesSsh()
    {
        var vpc = await moto.CreateVpcAsync("10.3.0.0/16");
        var group = await moto.CreateSecurityGroupAsync(vpc, Unique("report-alb"));
        await moto.OpenIngressAsync(group, AllTraffic("0.0.0.0/0"), Tcp(22, 22, "::/0"));
        await moto.CreateApplicationLoadBalancerAsync(vpc, group, Unique("report"), "10.3");

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce(("RevokerAlbWideRules", "report")));

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(1, answer.Count("RulesForReview"));
        Assert.Contains("for a person", answer.Resources.Single().GetProperty("reason").GetString(), StringComparison.Ordinal);
        var publicRules = (await moto.IngressRulesAsync(group)).Where(IsPublic).ToList();
        Assert.Equal("-1", Assert.Single(publicRules).IpProtocol);
    }

    [Fact]
    public async Task Revoke_WhenGroupCarriesTheExemptionTag_ChangesNothing()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("tagged"), new Tag("security:exempt", "TRUE"));
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"));

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group),
            Enforce(("ExemptTagKey", "security:exempt"), ("ExemptTagValue", "true")));

        Assert.Equal("Exempt", answer.Status);
        Assert.Contains(await moto.IngressRulesAsync(group), IsPublic);
    }

    [Fact]
    public async Task Revoke_WhenGroupIsOnTheAllowlist_ChangesNothing()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("allowlisted"));
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"));

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce(("ExemptSecurityGroupIds", $"sg-0000000000000000a,{group}")));

        Assert.Equal("Exempt", answer.Status);
        Assert.Contains(await moto.IngressRulesAsync(group), IsPublic);
    }

    [Fact]
    public async Task Revoke_InDefaultDryRunMode_ReportsThePlanAndMakesNoMutatingCall()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("dry"));
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"), Tcp(3389, 3389, "::/0"));
        var before = await moto.IngressRulesAsync(group);
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group));

        var operations = await recording.StopAsync();
        Assert.Equal("DryRun", answer.Status);
        Assert.True(answer.Body.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, answer.Resources.Single().GetProperty("changes").GetArrayLength());
        Assert.Empty(operations.Intersect(MutatingOperations));
        Assert.Equal(RuleIds(before), RuleIds(await moto.IngressRulesAsync(group)));
    }

    [Fact]
    public async Task Revoke_WhenTheEventIsReplayed_IsANoOpTheSecondTime()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("replay"));
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"));
        await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce());
        var recording = await moto.StartRecordingAsync();

        var replay = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce());

        Assert.Equal("AlreadyCompliant", replay.Status);
        Assert.Empty((await recording.StopAsync()).Intersect(MutatingOperations));
    }

    [Theory]
    [InlineData("""{"detail-type":"AWS API Call via CloudTrail","source":"aws.ec2"}""")]
    [InlineData("""{"version":"0","id":"x","detail-type":7,"source":"aws.ec2","account":"123456789012","region":"us-east-1","detail":{}}""")]
    [InlineData("not json at all")]
    public async Task Revoke_WhenTheEventIsMalformed_RejectsItWithoutCallingAws(string malformed)
    {
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeAsync(Function, malformed, Enforce());

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Rejected", answer.Status);
        Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("reason").GetString()));
        Assert.Empty(await recording.StopAsync());
    }

    [Fact]
    public async Task Revoke_WhenTheGroupWasDeleted_EndsAlreadyCompliant()
    {
        var answer = await moto.InvokeAsync(Function, AuthorizeEvent("sg-0123456789abcdef0"), Enforce());

        Assert.Equal("AlreadyCompliant", answer.Status);
    }

    [Fact]
    public async Task Revoke_OfAGroupWithManyRules_CostsAtMostThreeCalls()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("many"));
        await moto.OpenIngressAsync(group, [.. Enumerable.Range(1000, 30).Select(port => Tcp(port, port, "0.0.0.0/0")), Tcp(80, 80, "0.0.0.0/0")]);
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce());

        var operations = await recording.StopAsync();
        Assert.Equal(31, answer.Count("RulesRevoked"));
        Assert.Equal(["DescribeSecurityGroupRules", "DescribeLoadBalancers", "RevokeSecurityGroupIngress"], operations);
    }

    [Fact]
    public async Task Revoke_WithTrustedCidrs_GrantsThemTheRevokedRulePortsBeforeRevoking()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("trusted"));
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"), Tcp(22, 22, "::/0"));
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce(("TrustedCidrs", "203.0.113.0/24")));

        Assert.Equal(1, answer.Count("GrantsAdded"));
        Assert.Equal(["DescribeSecurityGroupRules", "DescribeLoadBalancers", "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress"],
            await recording.StopAsync());
        var rules = await moto.IngressRulesAsync(group);
        Assert.DoesNotContain(rules, IsPublic);
        Assert.Contains(rules, r => r.CidrIpv4 == "203.0.113.0/24" && r.FromPort == 22 && r.ToPort == 22);
    }

    [Theory]
    [InlineData("public-ingress-revoker/config-restricted-ssh-noncompliant.json")]
    [InlineData("public-ingress-revoker/modify-security-group-rules.json")]
    [InlineData("public-ingress-revoker/authorize-security-group-ingress.json")]
    public async Task Revoke_ForEachSampleEvent_RemediatesTheGroupItNames(string sample)
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("sample"));
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"));

        var answer = await moto.InvokeAsync(Function, LocalInvoke.SampleEvent(sample, (SampleGroupId, group)), Enforce());

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(group, answer.Resources.Single().GetProperty("resourceId").GetString());
        Assert.DoesNotContain(await moto.IngressRulesAsync(group), IsPublic);
    }

    [Fact]
    public async Task Revoke_WhenTheEventNamesTheGroupOnly_ChangesOnlyTheDefaultVpcsGroupOfThatName()
    {
        var name = Unique("legacy-web");
        var group = await moto.CreateSecurityGroupAsync(vpcId: null, name);
        var namesake = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), name);
        await moto.OpenIngressAsync(group, Tcp(22, 22, "0.0.0.0/0"));
        await moto.OpenIngressAsync(namesake, Tcp(22, 22, "0.0.0.0/0"));
        var sample = LocalInvoke.SampleEvent("public-ingress-revoker/authorize-security-group-ingress-by-name.json", ("\"legacy-web\"", $"\"{name}\""));

        var answer = await moto.InvokeAsync(Function, sample, Enforce());

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(group, answer.Resources.Single().GetProperty("resourceId").GetString());
        Assert.DoesNotContain(await moto.IngressRulesAsync(group), IsPublic);
        Assert.Contains(await moto.IngressRulesAsync(namesake), IsPublic);
    }

    [Fact]
    public async Task Revoke_WhenTheEventNamesAnotherAccount_RejectsItWithoutCallingAws()
    {
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(SampleGroupId).Replace("\"123456789012\"", "\"210987654321\"", StringComparison.Ordinal), Enforce());

        Assert.Equal("Rejected", answer.Status);
        Assert.Contains("account 210987654321", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(await recording.StopAsync());
    }

    [Fact]
    public async Task Sweep_WhenOneGroupCannotBeChanged_RemediatesTheOthersAndFailsTheInvocationAfterReporting()
    {
        const string region = "eu-west-3";
        var ec2 = moto.Ec2(region);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.8.0.0/16" })).Vpc.VpcId;
        async Task<string> GroupAsync(string name, params IpPermission[] permissions)
        {
            var id = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = name, Description = name })).GroupId;
            await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = id, IpPermissions = [.. permissions] });
            return id;
        }
        // EC2 allows 60 ingress rules per group: the trusted grant that must come first cannot be added to a full group.
        var full = await GroupAsync("full", [Tcp(22, 22, "0.0.0.0/0"), .. Enumerable.Range(1000, 59).Select(port => Tcp(port, port, "10.0.0.0/8"))]);
        var open = await GroupAsync("open", Tcp(22, 22, "0.0.0.0/0"));
        var sweep = LocalInvoke.SampleEvent("public-ingress-revoker/scheduled-sweep.json", ("us-east-1", region));

        var answer = await moto.InvokeAsync(Function, sweep, Enforce(("TrustedCidrs", "203.0.113.0/24")), region);

        Assert.False(answer.Answered, answer.Logs);
        Assert.Contains("RulesPerSecurityGroupLimitExceeded", answer.Logs, StringComparison.Ordinal);
        var rules = (await ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [full, open])] })).SecurityGroupRules;
        Assert.DoesNotContain(rules, r => r.GroupId == open && IsPublic(r));
        Assert.Contains(rules, r => r.GroupId == open && r.CidrIpv4 == "203.0.113.0/24");
        Assert.Contains(rules, r => r.GroupId == full && IsPublic(r));
    }

    [Fact]
    public async Task Sweep_WithMoreExposedGroupsThanTheCap_ChangesOnlyUpToTheCapAndReportsCapped()
    {
        const string region = "eu-west-2";
        var ec2 = moto.Ec2(region);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.9.0.0/16" })).Vpc.VpcId;
        string[] groups =
        [
            (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = "a", Description = "a" })).GroupId,
            (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { VpcId = vpc, GroupName = "b", Description = "b" })).GroupId,
        ];
        foreach (var group in groups)
            await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = group, IpPermissions = [Tcp(22, 22, "0.0.0.0/0")] });
        var sweep = LocalInvoke.SampleEvent("public-ingress-revoker/scheduled-sweep.json", ("us-east-1", region));

        var answer = await moto.InvokeAsync(Function, sweep, Enforce(("RevokerMaxGroupsPerRun", "1")), region);

        Assert.Equal("Capped", answer.Status);
        Assert.Equal(1, answer.Count("GroupsCapped"));
        Assert.Equal(1, answer.Count("RulesRevoked"));
        var stillOpen = (await ec2.DescribeSecurityGroupRulesAsync(new DescribeSecurityGroupRulesRequest { Filters = [new Filter("group-id", [.. groups])] }))
            .SecurityGroupRules.Count(IsPublic);
        Assert.Equal(1, stillOpen);
    }

    [Fact]
    public async Task Start_WithAnInvalidSetting_ReportsAnInitErrorAndChangesNothing()
    {
        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(SampleGroupId), Enforce(("TrustedCidrs", "0.0.0.0/0")));

        Assert.False(answer.Answered);
        Assert.Contains("TRUSTED_CIDRS", answer.Body.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_PassesTheRuntimeApiTraceIdOnToItsAwsCalls()
    {
        var group = await moto.CreateSecurityGroupAsync(await moto.CreateVpcAsync(), Unique("traced"));
        await moto.OpenIngressAsync(group, Tcp(443, 443, "0.0.0.0/0"));
        var recording = await moto.StartRecordingAsync();

        await moto.InvokeAsync(Function, AuthorizeEvent(group), Enforce());

        // DescribeSecurityGroupRules goes through the AWS SDK, DescribeLoadBalancers through a thin client: both carry the same trace.
        var calls = await recording.StopWithHeadersAsync();
        string? TraceIdOf(string operation) => calls.Single(call => call.Operation == operation).Headers.GetValueOrDefault("X-Amzn-Trace-Id");
        string?[] traceIds = [TraceIdOf("DescribeSecurityGroupRules"), TraceIdOf("DescribeLoadBalancers")];
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$", traceIds[0]);
        Assert.Equal(traceIds[0], traceIds[1]);
    }

    [Fact]
    public async Task Revoke_WhenAwsStaysUnreachable_ReportsAnInvocationErrorSoLambdaRetries()
    {
        var nothingListens = new Uri("http://127.0.0.1:9");

        var answer = await moto.InvokeAsync(Function, AuthorizeEvent(SampleGroupId), Enforce(), endpoint: nothingListens);

        Assert.False(answer.Answered);
        Assert.Contains("\"Failed\"", answer.Logs, StringComparison.Ordinal);
    }

    private static string AuthorizeEvent(string groupId) =>
        LocalInvoke.SampleEvent("public-ingress-revoker/authorize-security-group-ingress.json", (SampleGroupId, groupId));

    private static Dictionary<string, string> Enforce(params (string Name, string Value)[] more)
    {
        var parameters = new Dictionary<string, string> { ["Mode"] = "enforce" };
        foreach (var (name, value) in more)
            parameters[name] = value;
        return parameters;
    }

    private static bool IsPublic(SecurityGroupRule rule) => rule.IsEgress != true && (rule.CidrIpv4 == "0.0.0.0/0" || rule.CidrIpv6 == "::/0");

    private static List<string> RuleIds(List<SecurityGroupRule> rules) => [.. rules.Select(r => r.SecurityGroupRuleId).Order(StringComparer.Ordinal)];

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
