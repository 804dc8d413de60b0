using System.Text.Json.Serialization;

namespace AutoGlacier.Vaults.Local;

/// <summary>Source-generated JSON for local vault metadata (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(LocalArchiveMetadata))]
internal sealed partial class LocalVaultJsonContext : JsonSerializerContext;
