namespace AutoGlacier.Log;

/// <summary>Run status as written in the JSON log.</summary>
public static class RunStatus
{
    /// <summary>The run started and has not ended (a crash leaves this).</summary>
    public const string Started = "started";
    /// <summary>Every gathered file was stored unchanged.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>The archive was stored but some files were skipped or changed while read.</summary>
    public const string CompletedWithWarnings = "completed-with-warnings";
    /// <summary>The run failed; <see cref="RunRecord.Error"/> says why.</summary>
    public const string Failed = "failed";
}

/// <summary>Per-file status as written in the JSON log.</summary>
public static class FileStatus
{
    /// <summary>Stored in the archive.</summary>
    public const string Stored = "stored";
    /// <summary>Not stored; <see cref="FileRecord.Reason"/> says why.</summary>
    public const string Skipped = "skipped";
    /// <summary>Stored, but its size or mtime changed while it was read: the stored copy may be inconsistent.</summary>
    public const string ChangedWhileRead = "changed-while-read";
}

/// <summary>
/// One run's record in the JSON log (everything but the per-file list, which is streamed separately so a run of a
/// million files never has to sit in memory or be re-serialised per file).
/// </summary>
public sealed record RunRecord
{
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
    /// <summary>Backend-specific state (upload id, parts, retrieval job id…), kept as strings.</summary>
    public IReadOnlyDictionary<string, string> BackendState { get; init; } = new Dictionary<string, string>();
}

/// <summary>One gathered file in a run.</summary>
public sealed record FileRecord
{
    /// <summary>Absolute path on the machine that made the backup.</summary>
    public string Path { get; init; } = "";
    /// <summary>Entry name in the tar (absolute path without the leading '/').</summary>
    public string? ArchiveName { get; init; }
    /// <summary>Entry type: file, symlink, directory.</summary>
    public string Type { get; init; } = "file";
    /// <summary>Bytes stored (files) or null.</summary>
    public long? Size { get; init; }
    /// <summary>Last-write time (UTC) at the time it was read.</summary>
    public DateTimeOffset? Mtime { get; init; }
    /// <summary>Unix mode bits (e.g. 0644 as 420).</summary>
    public int? Mode { get; init; }
    /// <summary>Lowercase hex hash (algorithm in <see cref="RunRecord.FileHashAlgorithm"/>) of the bytes stored.</summary>
    public string? Hash { get; init; }
    /// <summary>Symlink target, for symlinks.</summary>
    public string? LinkTarget { get; init; }
    /// <summary>Status (<see cref="FileStatus"/>).</summary>
    public string Status { get; init; } = FileStatus.Stored;
    /// <summary>Why it was skipped or flagged.</summary>
    public string? Reason { get; init; }
}
