using System.Text.Json.Serialization;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>Source-generated JSON for the few shapes the Glacier client writes.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(ArchiveDescriptionPayload))]
internal sealed partial class GlacierJsonContext : JsonSerializerContext;
