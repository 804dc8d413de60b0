namespace AutoGlacier;

/// <summary>A progress report from a running backup (sent through <see cref="IProgress{T}"/>, at most about four a second).</summary>
/// <param name="BytesRead">File bytes read so far.</param>
/// <param name="BytesWritten">Archive bytes (compressed, encrypted) produced so far.</param>
/// <param name="CurrentFile">The file being read, if any.</param>
/// <param name="BytesPerSecond">Read rate since the start.</param>
/// <param name="FilesDone">Entries processed.</param>
/// <param name="FilesTotal">Entries gathered (while <see cref="BackupPhase.Surveying"/>: found so far).</param>
public sealed record BackupProgress(long BytesRead, long BytesWritten, string? CurrentFile, double BytesPerSecond, int FilesDone, int FilesTotal)
{
    /// <summary>
    /// Bytes of the gathered regular files, as sized when they were gathered (the total <see cref="BytesRead"/> heads
    /// for; while <see cref="BackupPhase.Surveying"/>: found so far).
    /// </summary>
    public long BytesTotal { get; init; }

    /// <summary>
    /// Archive bytes the vault acknowledged so far (multipart uploads of the s3 and glacier backends); null for the
    /// local vault, which stores the archive as it is written.
    /// </summary>
    public long? BytesUploaded { get; init; }

    /// <summary>
    /// Parts of the multipart upload being sent right now (at most the backend's concurrency); null for the local
    /// vault and before the upload's first part.
    /// </summary>
    public int? PartsInFlight { get; init; }

    /// <summary>Upload rate of the acknowledged parts since the first one, in bytes a second; null before any part.</summary>
    public double? UploadBytesPerSecond { get; init; }

    /// <summary>
    /// What the run is doing: <see cref="BackupPhase.Surveying"/>, <see cref="BackupPhase.Reading"/>,
    /// <see cref="BackupPhase.Finishing"/> or <see cref="BackupPhase.Stored"/>.
    /// </summary>
    public string Phase { get; init; } = BackupPhase.Reading;

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>
    /// Estimated time left: from the read rate while files are read, from the upload rate once only the upload is
    /// left; null while there is no rate yet.
    /// </summary>
    public TimeSpan? EstimatedRemaining { get; init; }
}

/// <summary>The phases a <see cref="BackupProgress"/> reports.</summary>
public static class BackupPhase
{
    /// <summary>
    /// The tree is walked once for its totals before anything is read (a million files take seconds to list):
    /// <see cref="BackupProgress.FilesTotal"/> and <see cref="BackupProgress.BytesTotal"/> count what was found so far.
    /// </summary>
    public const string Surveying = "surveying";
    /// <summary>Files are being read, archived, compressed and encrypted (and, for cloud backends, uploaded as parts fill).</summary>
    public const string Reading = "reading";
    /// <summary>Every file is read; the archive is being finished (the compressor flushing its last blocks, the rest of the upload).</summary>
    public const string Finishing = "finishing";
    /// <summary>The archive is stored.</summary>
    public const string Stored = "stored";
}
