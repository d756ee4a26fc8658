using Remediators.Core.Aws;
using Remediators.Core.Remediation;

namespace Remediators.Core.Targets;

/// <summary>The member role of a function in a target account, and what a person reads about it.</summary>
public static class MemberRoles
{
    /// <summary><c>arn:&lt;partition&gt;:iam::&lt;account&gt;:role/&lt;prefix&gt;&lt;function&gt;</c>, as member-roles.yaml names it.</summary>
    public static string RoleArn(Target target, string prefix, string functionName) =>
        $"arn:{AwsEndpoints.Partition(target.Region)}:iam::{target.Account}:role/{prefix}{functionName}";

    /// <summary>The target's own Failed result when its role cannot be assumed: nothing was changed there.</summary>
    public static ResourceResult Unavailable(Target target, string roleArn, Exception error)
    {
        var code = ResourceResult.ErrorCodeOf(error);
        var fix = code is "AccessDenied" or "AccessDeniedException"
            ? $" Deploy member-roles.yaml in account {target.Account} (its role trusts only this function's execution role), or remove the account from the targets."
            : "";
        return new ResourceResult(roleArn, OutcomeStatus.Failed,
            $"could not assume {roleArn} in account {target.Account} ({code}: {error.Message}), so nothing was changed in account {target.Account}, region {target.Region}.{fix}", [])
        {
            Error = code,
        };
    }

    /// <summary>An undo text, prefixed with where and as whom to run it.</summary>
    public static string UndoIn(Target target, string roleArn, string howToUndo) =>
        $"In account {target.Account}, region {target.Region} (add --region {target.Region} and a profile for that account; the function acted as {roleArn}): {howToUndo}";
}
