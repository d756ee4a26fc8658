using System.Globalization;

namespace UnusedKeyDisabler;

/// <summary>One access key slot of a credential report row. The report has no key ids, only slots 1 and 2.</summary>
public sealed record ReportedKey(int Slot, DateTimeOffset LastRotated, DateTimeOffset? LastUsed)
{
    public DateTimeOffset LastActivity => LastUsed ?? LastRotated;
}

/// <summary>One user of the credential report, with its active key slots.</summary>
public sealed record ReportedUser(string UserName, string Arn, IReadOnlyList<ReportedKey> ActiveKeys)
{
    /// <summary>The user's path, taken from the ARN (<c>arn:aws:iam::1:user/a/b/name</c> has path <c>/a/b/</c>).</summary>
    public string Path
    {
        get
        {
            var resource = Arn[(Arn.IndexOf(":user/", StringComparison.Ordinal) + ":user".Length)..];
            return resource[..(resource.LastIndexOf('/') + 1)];
        }
    }
}

/// <summary>Reads the IAM credential report CSV by column name; rows it cannot read fail loudly rather than hide keys.</summary>
public static class CredentialReport
{
    private const string RootAccount = "<root_account>";

    public static IReadOnlyList<ReportedUser> Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
            throw new FormatException("the credential report is empty");
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i
            : throw new FormatException($"the credential report has no '{name}' column");
        var user = Column("user");
        var arn = Column("arn");
        var slots = Enumerable.Range(1, 2).Select(n => (Slot: n,
            Active: Column($"access_key_{n}_active"), Rotated: Column($"access_key_{n}_last_rotated"), Used: Column($"access_key_{n}_last_used_date"))).ToList();

        var users = new List<ReportedUser>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length != header.Length)
                throw new FormatException($"credential report row has {fields.Length} fields, expected {header.Length}: {line}");
            // The root user's keys are not IAM user keys: UpdateAccessKey cannot reach them.
            if (fields[user] == RootAccount)
                continue;
            var keys = slots
                .Where(s => fields[s.Active] == "true")
                .Select(s => new ReportedKey(s.Slot, Date(fields[s.Rotated]) ?? DateTimeOffset.MinValue, Date(fields[s.Used])))
                .ToList();
            users.Add(new ReportedUser(fields[user], fields[arn], keys));
        }
        return users;
    }

    /// <summary>ISO 8601, or null for the report's "N/A", "no_information" and "not_supported".</summary>
    private static DateTimeOffset? Date(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
