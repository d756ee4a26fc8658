using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Filter = Amazon.EC2.Model.Filter;
using Remediators.Core.Aws;
using Remediators.Core.Blocklist;

namespace Remediators.IntegrationTests.Resilience.Scenario;

/// <summary>Seeds a <see cref="ScenarioAccount"/> into moto through real AWS APIs, straight to moto (never through a proxy).</summary>
public static class ScenarioSeeding
{
    public static async Task<ScenarioAccount> SeedAsync(ResilienceMoto moto, string suffix)
    {
        var account = new ScenarioAccount(suffix);
        await SeedGroupsAsync(moto, account);
        await SeedUsersAsync(moto, account);
        await SeedBucketsAsync(moto, account);
        await SeedBlocklistAsync(moto, account);
        foreach (var region in ScenarioAccount.EbsRegions)
            await Ec2(moto, region).DisableEbsEncryptionByDefaultAsync(new DisableEbsEncryptionByDefaultRequest());
        return account;
    }

    public static AmazonEC2Client Ec2(ResilienceMoto moto, string region = ResilienceMoto.Region) =>
        moto.Clients.Sdk<AmazonEC2Client, AmazonEC2Config>(region, (c, config) => new AmazonEC2Client(c, config));

    public static AmazonS3Client S3(ResilienceMoto moto) =>
        moto.Clients.Sdk<AmazonS3Client, AmazonS3Config>(ResilienceMoto.Region, (c, config) => new AmazonS3Client(c, config));

    public static AmazonDynamoDBClient DynamoDb(ResilienceMoto moto) =>
        moto.Clients.Sdk<AmazonDynamoDBClient, AmazonDynamoDBConfig>(ResilienceMoto.Region, (c, config) => new AmazonDynamoDBClient(c, config));

    public static IpPermission Tcp(int port, string cidr) => cidr.Contains(':', StringComparison.Ordinal)
        ? new IpPermission { IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv6Ranges = [new Ipv6Range { CidrIpv6 = cidr }] }
        : new IpPermission { IpProtocol = "tcp", FromPort = port, ToPort = port, Ipv4Ranges = [new IpRange { CidrIp = cidr }] };

    private static async Task SeedGroupsAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var ec2 = Ec2(moto);
        account.VpcId = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc.VpcId;
        async Task<string> Group(string logical, string? vpcId, params Amazon.EC2.Model.Tag[] tags)
        {
            var request = new CreateSecurityGroupRequest { VpcId = vpcId, GroupName = account.Name(logical), Description = logical };
            if (tags.Length > 0)
                request.TagSpecifications = [new TagSpecification { ResourceType = ResourceType.SecurityGroup, Tags = [.. tags] }];
            account.GroupNames[logical] = request.GroupName;
            return account.Groups[logical] = (await ec2.CreateSecurityGroupAsync(request)).GroupId;
        }
        foreach (var logical in new[] { "web", "peer", "alb", "legacy-alb", "trusted", "allowlisted", "compliant" })
            await Group(logical, account.VpcId);
        await Group("tagged", account.VpcId, new Amazon.EC2.Model.Tag(ScenarioAccount.ExemptTagKey, "TRUE"));
        await Group("default-named", null);

        await OpenAsync(moto, account, "web", Tcp(22, "0.0.0.0/0"), Tcp(22, "::/0"), new IpPermission { IpProtocol = "-1", Ipv4Ranges = [new IpRange { CidrIp = "0.0.0.0/0" }] },
            Tcp(5432, "10.0.0.0/8"), new IpPermission { IpProtocol = "tcp", FromPort = 8080, ToPort = 8080, UserIdGroupPairs = [new UserIdGroupPair { GroupId = account.Groups["peer"] }] });
        await OpenAsync(moto, account, "alb", Tcp(80, "0.0.0.0/0"), Tcp(443, "0.0.0.0/0"), Tcp(443, "::/0"), Tcp(22, "0.0.0.0/0"));
        await OpenAsync(moto, account, "legacy-alb", Tcp(443, "0.0.0.0/0"), Tcp(8443, "0.0.0.0/0"));
        await OpenAsync(moto, account, "trusted", Tcp(3389, "0.0.0.0/0"), Tcp(3389, "::/0"));
        await OpenAsync(moto, account, "allowlisted", Tcp(22, "0.0.0.0/0"));
        await OpenAsync(moto, account, "tagged", Tcp(22, "0.0.0.0/0"));
        await OpenAsync(moto, account, "compliant", Tcp(443, "10.0.0.0/8"));
        await OpenAsync(moto, account, "default-named", Tcp(22, "0.0.0.0/0"));

        var subnets = new List<string>();
        foreach (var (cidr, zone) in new[] { ("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b") })
            subnets.Add((await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = account.VpcId, CidrBlock = cidr, AvailabilityZone = zone })).Subnet.SubnetId);
        await moto.Clients.Elbv2(ResilienceMoto.Region).CallAsync("CreateLoadBalancer",
        [
            new("Name", account.Name("alb")), new("Type", "application"), new("Scheme", "internet-facing"),
            new("Subnets.member.1", subnets[0]), new("Subnets.member.2", subnets[1]), new("SecurityGroups.member.1", account.Groups["alb"]),
        ], CancellationToken.None);
        // An ALB that shows only through its network interface: what the revoker sees when it may not call ELBv2.
        await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest
        {
            SubnetId = subnets[0], Description = $"ELB app/{account.Name("legacy")}/50dc6c495c0c9188", Groups = [account.Groups["legacy-alb"]],
        });
    }

    public static Task OpenAsync(ResilienceMoto moto, ScenarioAccount account, string group, params IpPermission[] permissions) =>
        Ec2(moto).AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = account.Groups[group], IpPermissions = [.. permissions] });

    /// <summary>Every seeded access key, in creation order: its logical user, its age in days, and whether it was used just now (else never).</summary>
    public static readonly (string Key, string User, int DaysAgo, bool Used)[] KeySeeds =
    [
        ("stale-old", "stale", 200, false), ("mixed-old", "mixed", 150, false), ("config-old", "config", 120, false),
        ("tagged-old", "tagged", 180, false), ("service-old", "service", 170, false), ("break-glass-old", "break-glass", 160, false),
        ("stale-second", "stale", 110, false), ("mixed-fresh", "mixed", 0, true), ("fresh-used", "fresh", 0, true),
        ("compromised-used", "compromised", 0, true),
    ];

    /// <summary>Keys are created at distinct ages (moto's clock moved back), so "oldest first" never ties.</summary>
    private static async Task SeedUsersAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var iam = moto.Clients.Iam(ResilienceMoto.Region);
        async Task User(string logical, string path = "/", bool tagged = false, string? name = null)
        {
            var userName = account.Users[logical] = name ?? account.Name(logical);
            List<KeyValuePair<string, string>> parameters = [new("UserName", userName), new("Path", path)];
            if (tagged)
                parameters.AddRange([new("Tags.member.1.Key", ScenarioAccount.ExemptTagKey), new("Tags.member.1.Value", "true")]);
            account.UserIds[logical] = (await iam.CallAsync("CreateUser", parameters, CancellationToken.None)).Child("User")!.Text("UserId")!;
        }
        async Task Key(string logical, string user, int daysAgo, bool used = false)
        {
            await moto.SetClockAsync(daysAgo);
            var key = (await iam.CallAsync("CreateAccessKey", [new("UserName", account.Users[user])], CancellationToken.None)).Child("AccessKey")!;
            account.Keys[logical] = key.Text("AccessKeyId")!;
            if (used)
            {
                var asUser = new IamClient(ResilienceMoto.Region, new Amazon.Runtime.BasicAWSCredentials(key.Text("AccessKeyId"), key.Text("SecretAccessKey")),
                    new HttpClient(), RetryBackoff.Default, moto.Endpoint);
                try
                {
                    await asUser.ListUsersAsync(CancellationToken.None);
                }
                catch (AwsServiceException error) when (error.StatusCode == 403)
                {
                    // Refused, but moto records it as the key's last use.
                }
            }
        }
        await User("stale");
        await User("mixed");
        await User("fresh");
        await User("tagged", tagged: true);
        await User("service", path: ScenarioAccount.ServicePath);
        await User("break-glass", name: $"{ScenarioAccount.BreakGlassUser}-{account.Suffix}");
        await User("compromised");
        await User("config");
        foreach (var seed in KeySeeds)
            await Key(seed.Key, seed.User, seed.DaysAgo, seed.Used);
        await moto.SetClockAsync(0);
    }

    private static async Task SeedBucketsAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        var s3 = S3(moto);
        foreach (var logical in new[] { "plain", "with-policy", "tagged", "allowlisted", "kms" })
        {
            account.Buckets[logical] = account.Name(logical);
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = account.Buckets[logical] });
        }
        await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest
        {
            BucketName = account.Buckets["tagged"], TagSet = [new Amazon.S3.Model.Tag { Key = ScenarioAccount.ExemptTagKey, Value = "true" }],
        });
        await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = account.Buckets["with-policy"], Policy = ReadOnlyPolicy(account.Buckets["with-policy"]) });
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = account.Buckets["kms"],
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule
                {
                    ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                    {
                        ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS,
                        ServerSideEncryptionKeyManagementServiceKeyId = $"arn:aws:kms:us-east-1:{ResilienceMoto.AccountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    },
                    BucketKeyEnabled = true,
                }],
            },
        });
    }

    /// <summary>Someone else's statement the TLS-only merge must keep as it is.</summary>
    public static string ReadOnlyPolicy(string bucket) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"PartnerRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""";

    /// <summary>The blocklist as the template creates it, plus last week's blocks the pruner must lift and an address that is not ours.</summary>
    private static async Task SeedBlocklistAsync(ResilienceMoto moto, ScenarioAccount account)
    {
        account.Table = account.Name("blocklist");
        await DynamoDb(moto).CreateTableAsync(new CreateTableRequest
        {
            TableName = account.Table, BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)], KeySchema = [new KeySchemaElement("pk", Amazon.DynamoDBv2.KeyType.HASH)],
        });
        var waf = moto.Clients.Wafv2(ResilienceMoto.Region);
        async Task<string> Set(string logical, string version, params string[] addresses)
        {
            var set = await waf.CreateIpSetAsync(account.Name(logical), "REGIONAL", version, CancellationToken.None);
            var current = await waf.GetIpSetAsync(set, CancellationToken.None);
            if (addresses.Length > 0)
                await waf.UpdateIpSetAsync(set, addresses, current.LockToken, CancellationToken.None);
            return current.IPSet.ARN;
        }
        string[] expired = ["192.0.2.10/32", "192.0.2.11/32"];
        account.Ipv4SetArn = await Set("attackers-ipv4", "IPV4", [.. expired, "192.0.2.99/32"]);
        account.Ipv6SetArn = await Set("attackers-ipv6", "IPV6", "2001:db8:dead::1/128");

        var ec2 = Ec2(moto);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.90.0.0/16" })).Vpc.VpcId;
        account.SubnetId = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = "10.90.1.0/24", AvailabilityZone = "us-east-1a" })).Subnet.SubnetId;
        // A public subnet, as the revoker's subnet samples describe it.
        await ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = account.SubnetId, MapPublicIpOnLaunch = true });
        account.NetworkAclId = (await ec2.DescribeNetworkAclsAsync(new DescribeNetworkAclsRequest { Filters = [new Filter("association.subnet-id", [account.SubnetId])] }))
            .NetworkAcls.Single().NetworkAclId;

        var table = new BlocklistTable(DynamoDb(moto), account.Table);
        var lastWeek = ScenarioAccount.Now.AddDays(-7);
        foreach (var cidr in expired)
            await table.RecordSightingAsync(new Sighting(cidr, lastWeek, lastWeek.AddHours(24), ["seeded-" + cidr]), CancellationToken.None);
        await table.RecordSightingAsync(new Sighting("2001:db8:dead::1/128", lastWeek, lastWeek.AddHours(24), ["seeded-ipv6"]), CancellationToken.None);
        // Added by the blocker, as the pruner must see it to take them out; 192.0.2.99/32 has no record: someone else's.
        await table.RecordAdditionsAsync(account.Ipv4SetArn, expired, CancellationToken.None);
        await table.RecordAdditionsAsync(account.Ipv6SetArn, ["2001:db8:dead::1/128"], CancellationToken.None);
        await ec2.CreateNetworkAclEntryAsync(new CreateNetworkAclEntryRequest
        {
            NetworkAclId = account.NetworkAclId, RuleNumber = 1, Protocol = "-1", RuleAction = RuleAction.Deny, Egress = false, CidrBlock = expired[0],
        });
        // Recorded as the blocker records the entries it owns: under the ACL's lease.
        const string owner = "seeding";
        await table.TryLeaseNaclAsync(new AclLocation(account.NetworkAclId), owner, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), CancellationToken.None);
        await table.ReleaseNaclAsync(new AclLocation(account.NetworkAclId), owner, [new OwnedNaclRule(account.NetworkAclId, 1, expired[0], lastWeek)], CancellationToken.None);
    }
}
