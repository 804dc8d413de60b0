namespace AutoGlacier.Log;

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
