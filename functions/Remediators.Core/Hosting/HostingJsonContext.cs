using System.Text.Json.Serialization;

namespace Remediators.Core.Hosting;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RuntimeError))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;
