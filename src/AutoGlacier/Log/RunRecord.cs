namespace AutoGlacier.Log;

/// <summary>
/// One run's record in the JSON log (everything but the per-file list, which is streamed separately so a run of a
/// million files never has to sit in memory or be re-serialised per file).
/// </summary>
public sealed record RunRecord
{
    /// <summary>
    /// Where the run came from: null for AutoGlacier's own, <c>seed</c> for the Python seed's JSON log, <c>glacierbackup</c>
    /// for its SQLite successor (see <see cref="Migration.Seed.SeedOrigins"/>); such runs' archives use the seed's format.
    /// </summary>
    public string? Origin { get; init; }
    /// <summary>Run status (<see cref="RunStatus"/>).</summary>
    public string Status { get; init; } = RunStatus.Started;
    /// <summary>The error message when the run failed.</summary>
    public string? Error { get; init; }
    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>When the run ended (UTC); null while running.</summary>
    public DateTimeOffset? EndedAt { get; init; }
    /// <summary>The archive description.</summary>
    public string Description { get; init; } = "";
    /// <summary>The job's class name (or "cli").</summary>
    public string? Job { get; init; }
    /// <summary>Backend name (local, glacier, s3).</summary>
    public string Backend { get; init; } = "local";
    /// <summary>Where the archive went (directory, region/vault, bucket/prefix).</summary>
    public string? VaultLocation { get; init; }
    /// <summary>REGION_NAME for cloud backends.</summary>
    public string? Region { get; init; }
    /// <summary>The vault's archive id.</summary>
    public string? ArchiveId { get; init; }
    /// <summary>Backend-specific location of the archive.</summary>
    public string? ArchiveLocation { get; init; }
    /// <summary>Bytes stored in the vault (the encrypted container).</summary>
    public long? ArchiveSize { get; init; }
    /// <summary>Sum of the sizes of the stored files.</summary>
    public long? PlaintextSize { get; init; }
    /// <summary>Bytes of the uncompressed tar stream.</summary>
    public long? TarSize { get; init; }
    /// <summary>Lowercase hex SHA-256 of the stored archive bytes.</summary>
    public string? ArchiveSha256 { get; init; }
    /// <summary>Lowercase hex Glacier SHA-256 tree hash (1 MiB leaves) of the stored archive bytes.</summary>
    public string? ArchiveTreeHash { get; init; }
    /// <summary>Compression codec name.</summary>
    public string Compression { get; init; } = "lzma";
    /// <summary>Encryption container format version.</summary>
    public int EncryptionFormatVersion { get; init; }
    /// <summary>SHA-256 fingerprints (hex, of SubjectPublicKeyInfo) of the recipient public keys.</summary>
    public IReadOnlyList<string> RecipientFingerprints { get; init; } = [];
    /// <summary>The hash algorithm of <see cref="FileRecord.Hash"/>: "sha256".</summary>
    public string FileHashAlgorithm { get; init; } = "sha256";
    /// <summary>Files stored / skipped / changed while read.</summary>
    public int FilesStored { get; init; }
    /// <summary>Files skipped (with reasons in the file list).</summary>
    public int FilesSkipped { get; init; }
    /// <summary>Files that changed while read.</summary>
    public int FilesChanged { get; init; }
    /// <summary>Warnings raised during the run (globs with no match, skipped files, …).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>Configuration summary without any secret.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();
    /// <summary>
    /// The parts of the run's multipart upload acknowledged so far (written while uploading, at least once a minute,
    /// and complete once the archive is stored); null for single-request uploads and the local vault.
    /// </summary>
    public IReadOnlyList<UploadPartRecord>? UploadParts { get; init; }
    /// <summary>The run's snapshot (kind, base, counts, catalog); null for runs logged before snapshots (full snapshots).</summary>
    public RunSnapshot? Snapshot { get; init; }
    /// <summary>Backend-specific state (upload id, parts, retrieval job id…), kept as strings.</summary>
    public IReadOnlyDictionary<string, string> BackendState { get; init; } = new Dictionary<string, string>();
}
