namespace Remediators.Core.Blocklist;

/// <summary>An entry of a network ACL as the planner sees it (no AWS types); <see cref="Cidr"/> is the IPv4 or IPv6 block.</summary>
public sealed record NaclEntry(int RuleNumber, bool Egress, bool IsDeny, string? Cidr);

/// <summary>The inclusive rule-number range this suite may use in every ACL; entries outside it are never touched.</summary>
public sealed record NaclRuleRange(int First, int Last)
{
    public const int LowestRuleNumber = 1;
    public const int HighestRuleNumber = 32766;

    public bool Contains(int ruleNumber) => ruleNumber >= First && ruleNumber <= Last;

    public override string ToString() => $"{First}-{Last}";
}

/// <summary>One step the planner asks for in one ACL.</summary>
public abstract record NaclStep(string Cidr)
{
    public sealed record Create(string Cidr, int RuleNumber) : NaclStep(Cidr);

    /// <summary>The range is full: our oldest entry gives its number to the new address.</summary>
    public sealed record Replace(string Cidr, OwnedNaclRule Previous) : NaclStep(Cidr);

    public sealed record AlreadyDenied(string Cidr, int RuleNumber) : NaclStep(Cidr);

    public sealed record NoRoom(string Cidr, string Reason) : NaclStep(Cidr);

    public sealed record Delete(string Cidr, OwnedNaclRule Rule) : NaclStep(Cidr);
}

/// <summary>
/// The pure decision of which inbound deny entries to add to or remove from one ACL. An entry counts as ours only when the
/// table records it and the ACL still holds a deny for that CIDR at that number inside the range; anything else is someone
/// else's and is neither replaced nor deleted.
/// </summary>
public static class NaclDenyPlanner
{
    /// <param name="aclFull">The ACL reached its entry quota, so only replacing one of ours can make room.</param>
    public static IReadOnlyList<NaclStep> PlanDenials(
        IReadOnlyList<NaclEntry> entries, IReadOnlyList<OwnedNaclRule> owned, IReadOnlyList<string> cidrs, NaclRuleRange range, bool aclFull = false)
    {
        var inbound = entries.Where(e => !e.Egress).ToList();
        var used = inbound.Select(e => e.RuleNumber).ToHashSet();
        var replaceable = new Queue<OwnedNaclRule>(StillOurs(inbound, owned, range).OrderBy(r => r.AddedAt).ThenBy(r => r.RuleNumber));
        var steps = new List<NaclStep>();
        foreach (var cidr in cidrs.Select(IpSetPlanner.Canonical).Distinct(StringComparer.Ordinal))
        {
            if (inbound.FirstOrDefault(e => e.IsDeny && range.Contains(e.RuleNumber) && SameCidr(e.Cidr, cidr)) is { } existing)
                steps.Add(new NaclStep.AlreadyDenied(cidr, existing.RuleNumber));
            else if (!aclFull && FreeNumber(used, range) is { } number)
            {
                used.Add(number);
                steps.Add(new NaclStep.Create(cidr, number));
            }
            else if (replaceable.TryDequeue(out var oldest))
                steps.Add(new NaclStep.Replace(cidr, oldest));
            else
                steps.Add(new NaclStep.NoRoom(cidr, aclFull
                    ? "the network ACL has reached its entry quota and holds none of our entries to replace"
                    : $"every rule number in {range} is taken by entries this suite does not own"));
        }
        return steps;
    }

    /// <summary>Deletes our entries for the expired addresses; an entry changed by someone else since is left alone.</summary>
    public static IReadOnlyList<NaclStep.Delete> PlanRemovals(
        IReadOnlyList<NaclEntry> entries, IReadOnlyList<OwnedNaclRule> owned, IReadOnlySet<string> expiredCidrs, NaclRuleRange range) =>
        [.. StillOurs(entries.Where(e => !e.Egress).ToList(), owned, range)
            .Where(r => expiredCidrs.Contains(IpSetPlanner.Canonical(r.Cidr)))
            .Select(r => new NaclStep.Delete(IpSetPlanner.Canonical(r.Cidr), r))];

    /// <summary>Recorded entries the ACL still holds unchanged; the others are no longer ours to manage.</summary>
    public static IEnumerable<OwnedNaclRule> StillOurs(IReadOnlyList<NaclEntry> inbound, IReadOnlyList<OwnedNaclRule> owned, NaclRuleRange range) =>
        owned.Where(r => range.Contains(r.RuleNumber) &&
            inbound.Any(e => !e.Egress && e.RuleNumber == r.RuleNumber && e.IsDeny && SameCidr(e.Cidr, r.Cidr)));

    private static int? FreeNumber(HashSet<int> used, NaclRuleRange range)
    {
        for (var number = range.First; number <= range.Last; number++)
        {
            if (!used.Contains(number))
                return number;
        }
        return null;
    }

    private static bool SameCidr(string? a, string b) => a is not null && IpSetPlanner.Canonical(a) == IpSetPlanner.Canonical(b);
}
