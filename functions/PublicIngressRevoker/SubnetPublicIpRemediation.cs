using Remediators.Core.Remediation;

namespace PublicIngressRevoker;

/// <summary>Reads one subnet, decides, turns auto-assign off (or only reports it in dry-run), and reports with what undoes it.</summary>
internal sealed class SubnetPublicIpRemediation(SubnetPublicIpSettings settings, ISubnetPublicIpGateway gateway, bool dryRun)
{
    public const string DisableAction = "DisableMapPublicIpOnLaunch";

    public async Task<ResourceResult> RunAsync(string subnetId, CancellationToken cancellationToken)
    {
        if (await gateway.DescribeSubnetAsync(subnetId, cancellationToken) is not { } subnet)
            return ResourceResult.NoChange(subnetId, OutcomeStatus.AlreadyCompliant, $"{subnetId} no longer exists");
        var decision = SubnetPublicIpPolicy.Decide(subnet, settings);
        switch (decision.Verdict)
        {
            case SubnetPublicIpVerdict.AlreadyOff:
                return ResourceResult.NoChange(subnetId, OutcomeStatus.AlreadyCompliant, decision.Reason);
            case SubnetPublicIpVerdict.Exempt or SubnetPublicIpVerdict.Report:
                return ResourceResult.NoChange(subnetId, OutcomeStatus.Exempt, decision.Reason);
        }
        var change = Change(subnet, decision.Reason);
        if (dryRun)
            return new ResourceResult(subnetId, OutcomeStatus.DryRun, $"dry run, would turn MapPublicIpOnLaunch off: {decision.Reason}", [change]);
        try
        {
            await gateway.DisableMapPublicIpOnLaunchAsync(subnetId, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return ResourceResult.Failed(subnetId, "turning MapPublicIpOnLaunch off", error, []);
        }
        return new ResourceResult(subnetId, OutcomeStatus.Remediated, $"turned MapPublicIpOnLaunch off: {decision.Reason}", [change]);
    }

    public static Dictionary<string, long> Count(ResourceResult result) => new()
    {
        ["SubnetsChanged"] = result.Status == OutcomeStatus.Remediated ? 1 : 0,
        ["SubnetsLeftOn"] = result.Status == OutcomeStatus.Exempt ? 1 : 0,
        ["SubnetsFailed"] = result.Status == OutcomeStatus.Failed ? 1 : 0,
    };

    private static Change Change(SubnetState subnet, string reason) => new(DisableAction, subnet.SubnetId, reason, new Dictionary<string, string>
    {
        ["subnetId"] = subnet.SubnetId,
        ["vpcId"] = subnet.VpcId,
        ["attribute"] = "MapPublicIpOnLaunch",
        ["previousValue"] = "true",
    }, $"Turn auto-assign back on (instances launched later get public IPv4 addresses again): aws ec2 modify-subnet-attribute --subnet-id {subnet.SubnetId} --map-public-ip-on-launch");
}
