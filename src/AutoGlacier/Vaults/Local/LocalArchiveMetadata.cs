namespace AutoGlacier.Vaults.Local;

/// <summary>The <c>&lt;id&gt;.json</c> file next to each archive in a local vault.</summary>
/// <param name="FormatVersion">Layout version, so a later release can read older vaults.</param>
/// <param name="ArchiveId">The archive's id (repeated so a lone file explains itself).</param>
/// <param name="RunKey">The run's key in the JSON log.</param>
/// <param name="Description">The user's description, any unicode.</param>
/// <param name="Size">Archive size in bytes.</param>
/// <param name="CreatedAt">When the upload completed (UTC).</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the archive bytes.</param>
/// <param name="TreeHash">Lowercase hex Glacier tree hash of the archive bytes.</param>
/// <remarks>
/// <see cref="Kind"/> was added within format 1: metadata written before it has no <c>kind</c> and reads as an archive.
/// </remarks>
internal sealed record LocalArchiveMetadata(
    int FormatVersion,
    string ArchiveId,
    string RunKey,
    string Description,
    long Size,
    DateTimeOffset CreatedAt,
    string Sha256,
    string TreeHash)
{
    /// <summary>The layout version this code writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>A run's archive or its snapshot catalog (both live side by side in <c>archives/</c>).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<VaultObjectKind>))]
    public VaultObjectKind Kind { get; init; } = VaultObjectKind.Archive;
}
