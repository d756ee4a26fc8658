using Amazon.DynamoDBv2;
using Amazon.EC2;
using Remediators.Core.Aws;
using Remediators.Core.Targets;

namespace Remediators.Core.Blocklist;

/// <summary>The blocklist's AWS parts, wired the same way for the blocker and the pruner, and the EC2 client they share.</summary>
public sealed record BlocklistParts(BlocklistTable Table, IpSetWriter Writer, NaclDenyRules Nacls, IAmazonEC2 Ec2)
{
    /// <summary>Every service the blocklist calls, as <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c> names them (for <see cref="Remediation.TestClock"/>).</summary>
    public static readonly string[] ServiceEnvironmentIds = [AwsService.Wafv2.EnvironmentId, "DYNAMODB", "EC2"];

    public static BlocklistParts Create(AwsClients aws, string region, BlocklistSettings settings)
    {
        var table = new BlocklistTable(
            aws.Sdk<AmazonDynamoDBClient, AmazonDynamoDBConfig>(region, (credentials, config) => new AmazonDynamoDBClient(credentials, config)),
            settings.TableName);
        var writer = new IpSetWriter(aws.Wafv2, table, TimeProvider.System, IpSetWriter.DefaultBackoff);
        var ec2 = aws.Sdk<AmazonEC2Client, AmazonEC2Config>(region, (credentials, config) => new AmazonEC2Client(credentials, config));
        var nacls = new NaclDenyRules(ec2, table, settings.NaclRules, TimeProvider.System, NaclDenyRules.DefaultLeaseBackoff);
        return new BlocklistParts(table, writer, nacls, ec2);
    }

    /// <summary>
    /// The same blocklist (table and IP sets stay the hub's), with EC2 and its network ACLs in another target account or region,
    /// through <paramref name="targetClients"/> (that account's member role, or the hub's own in another region).
    /// </summary>
    public BlocklistParts In(Target elsewhere, AwsClients targetClients, BlocklistSettings settings)
    {
        var ec2 = targetClients.Sdk<AmazonEC2Client, AmazonEC2Config>(elsewhere.Region, (credentials, config) => new AmazonEC2Client(credentials, config));
        return this with
        {
            Ec2 = ec2,
            Nacls = new NaclDenyRules(ec2, Table, settings.NaclRules, TimeProvider.System, NaclDenyRules.DefaultLeaseBackoff, elsewhere),
        };
    }
}
