using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.IntegrationTests.Fixtures;

namespace Remediators.IntegrationTests.AttackerIpBlocker;

/// <summary>What the built blocker must never block, on moto: the account's own addresses, API callers, samples, other regions' findings.</summary>
[Collection(MotoCollection.Name)]
public sealed class AttackerIpBlockerRefusalTests(MotoServer moto)
{
    [Fact]
    public async Task Block_TheAccountsOwnElasticIpAndNatGatewayAddress_AreRefusedWithTheReason()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var ec2 = moto.Ec2();
        // moto hands out loopback addresses unless asked for one.
        var elastic = await ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc, Address = "54.239.1.10" });
        var natAddress = await ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc, Address = "54.239.1.11" });
        var subnet = await moto.CreateSubnetAsync(await moto.CreateVpcAsync("10.63.0.0/16"), "10.63.1.0/24", "us-east-1a");
        var nat = (await ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest { SubnetId = subnet, AllocationId = natAddress.AllocationId })).NatGateway;
        string[] attackers = [elastic.PublicIp, natAddress.PublicIp, "198.51.100.203"];

        var answer = await moto.InvokeBlockerAsync(Findings.SqsBatch(attackers.Select(ip => Findings.SshBruteForce(ip, Findings.SampleNow.AddMinutes(-5)))), blocklist);

        Assert.True(answer.Answered, answer.Logs);
        Assert.Equal(["198.51.100.203/32"], await moto.AddressesAsync(blocklist.Ipv4SetArn));
        var refused = answer.Reasons("Exempt");
        Assert.Equal($"not blocked: the account's own public address (Elastic IP {elastic.AllocationId})", refused[elastic.PublicIp]);
        Assert.Equal($"not blocked: the account's own public address (NAT gateway {nat.NatGatewayId})", refused[natAddress.PublicIp]);
        Assert.Null(await moto.RecordAsync(blocklist.Table, $"{elastic.PublicIp}/32"));
    }

    [Fact]
    public async Task Block_AnAnomalousApiCaller_IsRefusedByDefaultAndBlockedWhenOptedIn()
    {
        var anomalous = Findings.Sample("iam-api-call-from-malicious-ip.json", ("UnauthorizedAccess:IAMUser/MaliciousIPCaller", "Discovery:IAMUser/AnomalousBehavior"));
        var byDefault = await moto.CreateBlocklistAsync();
        var optedIn = await moto.CreateBlocklistAsync();

        var refused = await moto.InvokeBlockerAsync(anomalous, byDefault);
        var blocked = await moto.InvokeBlockerAsync(anomalous, optedIn, new() { ["AttackerBlockApiCallerFindings"] = "true" });

        Assert.Equal("Exempt", refused.Status);
        Assert.Contains("names the caller of an API", refused.Reasons("Exempt")["203.0.113.99"], StringComparison.Ordinal);
        Assert.Empty(await moto.AddressesAsync(byDefault.Ipv4SetArn));
        Assert.Equal("Remediated", blocked.Status);
        Assert.Equal(["203.0.113.99/32"], await moto.AddressesAsync(optedIn.Ipv4SetArn));
    }

    [Fact]
    public async Task Block_ASampleFindingAndAFindingOfAnotherRegion_ChangeNothing()
    {
        var blocklist = await moto.CreateBlocklistAsync();
        var (subnet, acl) = await moto.CreateSubnetWithAclAsync("10.64.0.0/16", "10.64.1.0/24");
        var entriesBefore = (await moto.InboundEntriesAsync(acl)).Count;
        var sample = JsonNode.Parse(Findings.SshBruteForce("198.51.100.204", Findings.SampleNow, subnet))!;
        sample["detail"]!["service"]!["additionalInfo"] = new JsonObject { ["sample"] = true };
        var otherRegion = JsonNode.Parse(Findings.SshBruteForce("198.51.100.205", Findings.SampleNow, subnet))!;
        otherRegion["detail"]!["region"] = "eu-west-1";
        var recording = await moto.StartRecordingAsync();

        var answer = await moto.InvokeBlockerAsync(Findings.SqsBatch([sample.ToJsonString(), otherRegion.ToJsonString()]), blocklist,
            new() { ["AttackerNaclDeny"] = "true" });

        var operations = await recording.StopAsync();
        Assert.Equal("Exempt", answer.Status);
        var refused = answer.Reasons("Exempt");
        Assert.Contains("sample finding", refused["198.51.100.204"], StringComparison.Ordinal);
        Assert.Contains("the finding names region eu-west-1", refused["198.51.100.205"], StringComparison.Ordinal);
        Assert.Empty(await moto.AddressesAsync(blocklist.Ipv4SetArn));
        Assert.Equal(entriesBefore, (await moto.InboundEntriesAsync(acl)).Count);
        Assert.DoesNotContain(operations, op => op is "UpdateIPSet" or "UpdateItem" or "CreateNetworkAclEntry" or "ReplaceNetworkAclEntry");
    }
}
