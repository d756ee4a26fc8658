namespace Remediators.Core.Aws;

/// <summary>
/// IAM actions a function calls only while one of its features is on: template.yaml grants them only in a statement written
/// <c>!If [<paramref name="Condition"/>, statement, !Ref AWS::NoValue]</c>, so a feature that is off cannot be used.
/// Hold it in a static field or property of the function's own assembly, as gateways hold <c>IamActions</c>: the policy tests
/// find both there by reflection.
/// </summary>
public sealed record FeatureActions(string Condition, IReadOnlyList<string> Actions);
