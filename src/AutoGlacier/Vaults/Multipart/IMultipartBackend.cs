namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// The multipart operations of a cloud backend (Glacier vault, S3 bucket), in the shape both share. The upload
/// engines (<see cref="BufferedArchiveUpload"/>, <see cref="SpooledArchiveUpload"/>) and <see cref="UploadResumer"/>
/// drive them, so cutting, concurrency, spooling and resume are written once for every backend. Implementations
/// translate their SDK's exceptions into <see cref="AutoGlacierException"/>s, so the engines never name an SDK type.
/// </summary>
internal interface IMultipartBackend
{
    /// <summary>Bytes per part (every part but the last is exactly this long).</summary>
    long PartSize { get; }

    /// <summary>Parts in flight at once.</summary>
    int Concurrency { get; }

    /// <summary>Where a new archive goes (S3: a fresh object key; Glacier: the vault name).</summary>
    string NewTarget(ArchiveUploadInfo info);

    /// <summary>Throws the backend's "too large" error, naming the fix, when part <paramref name="index"/> (0-based) ending at <paramref name="endOffset"/> exceeds a limit.</summary>
    void CheckLimits(int index, long endOffset);

    /// <summary>Stores an archive that fits one part with a single request.</summary>
    Task<StoredArchive> PutWholeAsync(string target, ArchiveUploadInfo info, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Starts a multipart upload.</summary>
    Task<MultipartTicket> InitiateAsync(string target, ArchiveUploadInfo info, CancellationToken cancellationToken);

    /// <summary>Sends part <paramref name="index"/> (0-based; its offset is index × part size) and returns what the backend acknowledged.</summary>
    Task<UploadedPart> UploadPartAsync(MultipartTicket ticket, int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>The parts the backend holds for an upload (all pages).</summary>
    /// <exception cref="UploadGoneException">The backend no longer knows the upload (aborted, expired).</exception>
    IAsyncEnumerable<UploadedPart> ListPartsAsync(MultipartTicket ticket, CancellationToken cancellationToken);

    /// <summary>True when a listed part holds exactly <paramref name="data"/> (its checksum matches; unknown means no).</summary>
    bool Holds(UploadedPart listed, ReadOnlySpan<byte> data);

    /// <summary>Completes the upload from every part, in order; only then does the archive exist.</summary>
    Task<StoredArchive> CompleteAsync(MultipartTicket ticket, IReadOnlyList<UploadedPart> parts, long size, CancellationToken cancellationToken);

    /// <summary>
    /// The archive a completion at <paramref name="target"/> stored for this run, when the backend can tell (S3: the
    /// object exists with this run's key and size); null when it is not there or the backend cannot tell (Glacier).
    /// </summary>
    Task<StoredArchive?> FindStoredAsync(string target, ArchiveUploadInfo info, long size, CancellationToken cancellationToken);

    /// <summary>Aborts the upload so the backend keeps (and bills) no orphan parts; failures are the caller's to ignore.</summary>
    /// <exception cref="AutoGlacierException">The backend refused or could not be reached (SDK errors are translated).</exception>
    Task AbortAsync(MultipartTicket ticket, CancellationToken cancellationToken);
}

/// <summary>What identifies a multipart upload across processes; written to the run's log when it starts.</summary>
/// <param name="UploadId">The backend's upload id.</param>
/// <param name="Target">Where it goes: the S3 object key, or the Glacier vault name.</param>
/// <param name="PartSize">Bytes per part.</param>
internal sealed record MultipartTicket(string UploadId, string Target, long PartSize);

/// <summary>A part the backend holds.</summary>
/// <param name="Index">0-based part index (S3 part number − 1).</param>
/// <param name="Length">Bytes in the part.</param>
/// <param name="Checksum">Glacier: the part's tree hash (hex); S3: its SHA-256 (base64), when the backend reports one.</param>
/// <param name="ETag">S3's ETag (needed to complete); null for Glacier.</param>
internal sealed record UploadedPart(int Index, long Length, string? Checksum, string? ETag = null);

/// <summary>The backend no longer knows a multipart upload (aborted, or dropped after about a day idle).</summary>
internal sealed class UploadGoneException(string message, Exception? inner = null) : AutoGlacierException(message, inner!);
