using Remediators.Bench.Proxy;

namespace Remediators.Bench.Report;

/// <summary>AWS calls the proxy saw, counted by operation in the order each operation was first called.</summary>
internal sealed class CallCounts
{
    private CallCounts(IReadOnlyList<(AwsOperation Operation, int Count)> byOperation) => ByOperation = byOperation;

    public IReadOnlyList<(AwsOperation Operation, int Count)> ByOperation { get; }

    public int Total => ByOperation.Sum(o => o.Count);

    public int Mutating => ByOperation.Where(o => o.Operation.IsMutating).Sum(o => o.Count);

    public int Of(string service, string operation) => ByOperation.Where(o => o.Operation == new AwsOperation(service, operation)).Sum(o => o.Count);

    public static CallCounts Of(IEnumerable<ProxiedCall> calls) =>
        new([.. calls.GroupBy(c => c.Operation).Select(g => (g.Key, g.Count()))]);

    /// <summary>e.g. <c>ec2:DescribeSecurityGroupRules, ec2:RevokeSecurityGroupIngress x2</c>; "none" for no call.</summary>
    public override string ToString() =>
        ByOperation.Count == 0 ? "none" : string.Join(", ", ByOperation.Select(o => o.Count == 1 ? $"{o.Operation}" : $"{o.Operation} x{o.Count}"));
}
