using System.Text.Json.Serialization;

namespace AutoGlacier.Snapshots;

/// <summary>Source-generated serialisation of catalog lines, in the log's snake_case style, nulls and defaults (type file) left out to keep lines short.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CatalogEntry))]
[JsonSerializable(typeof(CatalogHeader))]
[JsonSerializable(typeof(CatalogTrailer))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
