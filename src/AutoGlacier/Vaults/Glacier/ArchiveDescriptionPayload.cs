using System.Text.Json.Serialization;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>What AutoGlacier keeps in a Glacier archive description (see <see cref="ArchiveDescriptionCodec"/>).</summary>
/// <param name="RunKey">The run's key in the JSON log.</param>
/// <param name="Description">The user's description (any Unicode).</param>
/// <param name="Truncated">True when the description was shortened to fit Glacier's 1,024 characters (the log has it whole).</param>
/// <param name="Empty">True when the archive is empty: Glacier needs at least one byte, so one placeholder byte is stored.</param>
internal sealed record ArchiveDescriptionPayload(
    [property: JsonPropertyName("k")] string RunKey,
    [property: JsonPropertyName("d")] string Description,
    [property: JsonPropertyName("t"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Truncated = false,
    [property: JsonPropertyName("e"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Empty = false)
{
    /// <summary>Archive or snapshot catalog: told by the description's prefix, not kept in the JSON.</summary>
    [JsonIgnore]
    public VaultObjectKind Kind { get; init; } = VaultObjectKind.Archive;
}
