using System.Text.Json.Serialization;

namespace Remediators.Core.Remediation;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Outcome))]
public sealed partial class RemediationJsonContext : JsonSerializerContext;
