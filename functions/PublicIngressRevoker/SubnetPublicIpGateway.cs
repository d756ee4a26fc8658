using Amazon.EC2;
using Amazon.EC2.Model;
using Remediators.Core.Aws;

namespace PublicIngressRevoker;

/// <summary>The EC2 subnet verbs the revoker calls, translated into our records and meanings.</summary>
public interface ISubnetPublicIpGateway
{
    /// <summary>The subnet with the public addresses its network interfaces hold now; null when it no longer exists.</summary>
    Task<SubnetState?> DescribeSubnetAsync(string subnetId, CancellationToken cancellationToken);

    /// <summary>Turns MapPublicIpOnLaunch off; a subnet already off, or gone, counts as done.</summary>
    Task DisableMapPublicIpOnLaunchAsync(string subnetId, CancellationToken cancellationToken);
}

public sealed class SubnetPublicIpGateway(IAmazonEC2 ec2) : ISubnetPublicIpGateway
{
    public static readonly string[] IamActions = ["ec2:DescribeSubnets", "ec2:DescribeNetworkInterfaces"];

    /// <summary>Changing a subnet is needed only with SubnetAutoAssignPublicIp=disable; template.yaml grants it only then.</summary>
    public static readonly FeatureActions[] FeatureIamActions = [new("RevokerDisablesSubnetPublicIp", ["ec2:ModifySubnetAttribute"])];

    public async Task<SubnetState?> DescribeSubnetAsync(string subnetId, CancellationToken cancellationToken)
    {
        // A filter rather than SubnetIds: a deleted subnet is then an empty answer, not an InvalidSubnetID.NotFound error.
        var response = await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter("subnet-id", [subnetId])] }, cancellationToken);
        if ((response.Subnets ?? []).FirstOrDefault() is not { } subnet)
            return null;
        var tags = (subnet.Tags ?? []).ToDictionary(t => t.Key, t => t.Value ?? "");
        var mapsPublicIp = subnet.MapPublicIpOnLaunch ?? false;
        // Only a subnet that auto-assigns has running instances worth reporting.
        var addresses = mapsPublicIp ? await PublicAddressesAsync(subnetId, cancellationToken) : [];
        return new SubnetState(subnet.SubnetId, subnet.VpcId, mapsPublicIp, tags, addresses);
    }

    private async Task<IReadOnlyList<string>> PublicAddressesAsync(string subnetId, CancellationToken cancellationToken)
    {
        var request = new DescribeNetworkInterfacesRequest { Filters = [new Filter("subnet-id", [subnetId])] };
        var addresses = new List<string>();
        do
        {
            var response = await ec2.DescribeNetworkInterfacesAsync(request, cancellationToken);
            addresses.AddRange((response.NetworkInterfaces ?? [])
                .Where(eni => !string.IsNullOrEmpty(eni.Association?.PublicIp))
                .Select(eni => $"{eni.NetworkInterfaceId} ({eni.Association.PublicIp})"));
            request.NextToken = response.NextToken;
        }
        while (!string.IsNullOrEmpty(request.NextToken));
        return addresses;
    }

    public async Task DisableMapPublicIpOnLaunchAsync(string subnetId, CancellationToken cancellationToken)
    {
        try
        {
            await ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnetId, MapPublicIpOnLaunch = false }, cancellationToken);
        }
        catch (AmazonEC2Exception error) when (error.ErrorCode == "InvalidSubnetID.NotFound")
        {
            // A subnet deleted since it was read launches nothing.
        }
    }
}
