using Amazon.EC2.Model;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.PublicIngressRevoker;

/// <summary>Subnets that auto-assign public IPv4 addresses (Security Hub EC2.15), through the built revoker on moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class SubnetPublicIpTests(MotoServer moto)
{
    private const string Function = "PublicIngressRevoker";
    private const string SampleSubnetId = "subnet-0a1b2c3d4e5f60718";
    private const string ModifySample = "public-ingress-revoker/modify-subnet-attribute-map-public-ip.json";

    [Fact]
    public async Task Disable_WhenTheSubnetAutoAssigns_TurnsItOffKeepsTheRunningAddressAndSaysHowToUndo()
    {
        var (subnet, vpc) = await AutoAssigningSubnetAsync();
        var address = await PublicAddressInAsync(subnet);

        var answer = await moto.InvokeAsync(Function, ModifyEvent(subnet), Disable());

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(1, answer.Count("SubnetsChanged"));
        Assert.False(await MapsPublicIpAsync(subnet));
        var resource = answer.Resources.Single();
        Assert.Contains(address, resource.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("nothing is stopped", resource.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(await ElasticAddressesAsync(), a => a.PublicIp == address && a.NetworkInterfaceId is not null);
        var change = resource.GetProperty("changes").EnumerateArray().Single();
        Assert.Equal($"aws ec2 modify-subnet-attribute --subnet-id {subnet} --map-public-ip-on-launch",
            change.GetProperty("howToUndo").GetString()!.Split(": ", 2)[1]);
        Assert.Equal(vpc, change.GetProperty("undo").GetProperty("vpcId").GetString());
        Assert.Equal("true", change.GetProperty("undo").GetProperty("previousValue").GetString());
    }

    [Fact]
    public async Task Report_ByDefault_ReportsTheSubnetAndChangesNothing()
    {
        var (subnet, _) = await AutoAssigningSubnetAsync();
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeAsync(Function, ModifyEvent(subnet), Enforce());

        Assert.Equal("Exempt", answer.Status);
        Assert.Contains("reported for a person", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ModifySubnetAttribute", await recording.StopAsync());
        Assert.True(await MapsPublicIpAsync(subnet));
    }

    [Fact]
    public async Task Off_IgnoresTheEventWithoutCallingAws()
    {
        var (subnet, _) = await AutoAssigningSubnetAsync();
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeAsync(Function, ModifyEvent(subnet), Enforce(("SubnetAutoAssignPublicIp", "off")));

        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Empty(await recording.StopAsync());
        Assert.True(await MapsPublicIpAsync(subnet));
    }

    [Fact]
    public async Task Disable_WhenTheSubnetCarriesTheExemptionTag_ChangesNothing()
    {
        var (subnet, _) = await AutoAssigningSubnetAsync(new Tag("security:exempt", "true"));

        var answer = await moto.InvokeAsync(Function, ModifyEvent(subnet), Disable(("ExemptTagKey", "security:exempt")));

        Assert.Equal("Exempt", answer.Status);
        Assert.Contains("security:exempt", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(await MapsPublicIpAsync(subnet));
    }

    [Fact]
    public async Task Disable_WhenTheSubnetIsOnTheAllowlist_ChangesNothing()
    {
        var (subnet, _) = await AutoAssigningSubnetAsync();

        var answer = await moto.InvokeAsync(Function, ModifyEvent(subnet), Disable(("SubnetPublicIpAllowedSubnetIds", $"subnet-0000000000000000a,{subnet}")));

        Assert.Equal("Exempt", answer.Status);
        Assert.Contains("allowlist", answer.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(await MapsPublicIpAsync(subnet));
    }

    [Fact]
    public async Task Disable_WhenTheEventIsReplayed_IsANoOpTheSecondTime()
    {
        var (subnet, _) = await AutoAssigningSubnetAsync();
        await moto.InvokeAsync(Function, ModifyEvent(subnet), Disable());
        var recording = await moto.StartRecordingAsync();

        var replay = await moto.InvokeAsync(Function, ModifyEvent(subnet), Disable());

        Assert.Equal("AlreadyCompliant", replay.Status);
        Assert.DoesNotContain("ModifySubnetAttribute", await recording.StopAsync());
    }

    [Fact]
    public async Task Disable_InDryRunMode_ReportsThePlanAndMakesNoMutatingCall()
    {
        var (subnet, _) = await AutoAssigningSubnetAsync();
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeAsync(Function, ModifyEvent(subnet), new Dictionary<string, string> { ["SubnetAutoAssignPublicIp"] = "disable" });

        Assert.Equal("DryRun", answer.Status);
        Assert.Equal(1, answer.Resources.Single().GetProperty("changes").GetArrayLength());
        Assert.Equal(["DescribeSubnets", "DescribeNetworkInterfaces"], await recording.StopAsync());
        Assert.True(await MapsPublicIpAsync(subnet));
    }

    [Fact]
    public async Task Disable_WhenTheCallTurnedAutoAssignOff_EndsWithoutCallingAws()
    {
        var recording = await moto.StartRecordingAsync();
        var turnedOff = ModifyEvent(SampleSubnetId).Replace("\"value\": true", "\"value\": false", StringComparison.Ordinal);

        var answer = await moto.InvokeAsync(Function, turnedOff, Disable());

        Assert.Equal("AlreadyCompliant", answer.Status);
        Assert.Empty(await recording.StopAsync());
    }

    [Theory]
    [InlineData("\"subnetId\": \"subnet-0a1b2c3d4e5f60718\"", "\"subnetId\": \"subnet-../../x\"")]
    [InlineData("\"subnetId\": \"subnet-0a1b2c3d4e5f60718\",", "")]
    [InlineData("\"region\": \"us-east-1\"", "\"region\": \"us-east-1.evil.example\"")]
    public async Task Disable_WhenTheEventIsMalformed_RejectsItWithoutCallingAws(string field, string malformed)
    {
        var recording = await moto.StartRecordingAsync();
        var sample = LocalInvoke.SampleEvent(ModifySample);
        Assert.Contains(field, sample, StringComparison.Ordinal);

        var answer = await moto.InvokeAsync(Function, sample.Replace(field, malformed, StringComparison.Ordinal), Disable());

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal("Rejected", answer.Status);
        Assert.Empty(await recording.StopAsync());
    }

    [Theory]
    [InlineData(ModifySample)]
    [InlineData("public-ingress-revoker/create-subnet.json")]
    [InlineData("public-ingress-revoker/create-default-subnet.json")]
    [InlineData("public-ingress-revoker/config-subnet-auto-assign-public-ip-noncompliant.json")]
    public async Task Disable_ForEachSampleEvent_TurnsOffTheSubnetItNames(string sample)
    {
        var (subnet, _) = await AutoAssigningSubnetAsync();

        var answer = await moto.InvokeAsync(Function, LocalInvoke.SampleEvent(sample, (SampleSubnetId, subnet)), Disable());

        Assert.Equal("Remediated", answer.Status);
        Assert.Equal(subnet, answer.Resources.Single().GetProperty("resourceId").GetString());
        Assert.False(await MapsPublicIpAsync(subnet));
    }

    [Fact]
    public async Task Disable_WhenTheSubnetWasDeleted_EndsAlreadyCompliant()
    {
        var answer = await moto.InvokeAsync(Function, ModifyEvent("subnet-0123456789abcdef0"), Disable());

        Assert.Equal("AlreadyCompliant", answer.Status);
    }

    private async Task<(string Subnet, string Vpc)> AutoAssigningSubnetAsync(params Tag[] tags)
    {
        var ec2 = moto.Ec2();
        var vpc = await moto.CreateVpcAsync("10.40.0.0/16");
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest
        {
            VpcId = vpc, CidrBlock = "10.40.1.0/24",
            TagSpecifications = tags.Length > 0 ? [new TagSpecification { ResourceType = "subnet", Tags = [.. tags] }] : null,
        })).Subnet.SubnetId;
        await ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnet, MapPublicIpOnLaunch = true });
        return (subnet, vpc);
    }

    /// <summary>What an instance launched there holds: a network interface in the subnet with a public address.</summary>
    private async Task<string> PublicAddressInAsync(string subnet)
    {
        var ec2 = moto.Ec2();
        var eni = (await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = subnet })).NetworkInterface.NetworkInterfaceId;
        var allocation = await ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = "vpc" });
        await ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = allocation.AllocationId, NetworkInterfaceId = eni });
        return allocation.PublicIp;
    }

    private async Task<List<Address>> ElasticAddressesAsync() => (await moto.Ec2().DescribeAddressesAsync(new DescribeAddressesRequest())).Addresses;

    private async Task<bool> MapsPublicIpAsync(string subnet) =>
        (await moto.Ec2().DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [subnet] })).Subnets.Single().MapPublicIpOnLaunch ?? false;

    private static string ModifyEvent(string subnet) => LocalInvoke.SampleEvent(ModifySample, (SampleSubnetId, subnet));

    private static Dictionary<string, string> Disable(params (string Name, string Value)[] more) => Enforce([("SubnetAutoAssignPublicIp", "disable"), .. more]);

    private static Dictionary<string, string> Enforce(params (string Name, string Value)[] more)
    {
        var parameters = new Dictionary<string, string> { ["Mode"] = "enforce" };
        foreach (var (name, value) in more)
            parameters[name] = value;
        return parameters;
    }
}
