namespace AutoGlacier.Vaults;

/// <summary>
/// A place that keeps encrypted archives: a local directory, an Amazon Glacier vault, or an S3 bucket with a
/// Glacier storage class. Every backend passes the same conformance suite (tests/…/Vaults/VaultConformanceTests).
/// The built-in backends are opened by <see cref="VaultFactory"/>; a library user can also implement this
/// interface and pass the vault in <see cref="BackupRequest.Vault"/> or <see cref="Restore.RestoreRequest.Vault"/>.
/// </summary>
/// <remarks>
/// Cold storage cannot be read at once, so reading is two steps: <see cref="RequestRetrievalAsync"/> (which may
/// report "pending" for hours and returns a token to persist in the log) and then <see cref="OpenReadAsync"/> from
/// any offset, so an interrupted download resumes where it stopped.
/// </remarks>
public interface IVault
{
    /// <summary>
    /// Backend name as written in the log (<c>local</c>, <c>glacier</c>, <c>s3</c>, or a custom vault's own name): runs
    /// are resumed and reconciled only against a vault of the same name.
    /// </summary>
    string BackendName { get; }

    /// <summary>What this vault's storage can do (retrievals, resumable uploads, minimum billable days…).</summary>
    VaultCapabilities Capabilities { get; }

    /// <summary>Human-readable location (directory, region/vault, bucket/prefix) for the log and messages.</summary>
    string Location { get; }

    /// <summary>
    /// Starts storing one archive. Write the archive bytes to <see cref="IArchiveUpload.Content"/>, then call
    /// <see cref="IArchiveUpload.CompleteAsync"/>. Disposing the upload without completing aborts it and leaves
    /// nothing that looks like a complete archive.
    /// </summary>
    Task<IArchiveUpload> BeginUploadAsync(ArchiveUploadInfo info, CancellationToken cancellationToken);

    /// <summary>
    /// Asks for an archive to be made readable. Local and instant-access backends answer ready at once; cold
    /// backends start (or, given <see cref="RetrievalRequest.ExistingToken"/>, re-check) a retrieval job.
    /// </summary>
    Task<RetrievalState> RequestRetrievalAsync(string archiveId, RetrievalRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the archive for reading from <paramref name="offset"/>. Call <see cref="RequestRetrievalAsync"/> on the
    /// same vault instance first (passing the token persisted in the log): cold backends remember the ready
    /// retrieval (e.g. the Glacier job id) there. An offset past the end raises <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    /// <exception cref="ArchiveNotFoundException">No archive has that id.</exception>
    Task<Stream> OpenReadAsync(string archiveId, long offset, CancellationToken cancellationToken);

    /// <summary>Lists the archives the vault holds (for a cold vault this may be an inventory snapshot).</summary>
    IAsyncEnumerable<VaultArchive> ListAsync(CancellationToken cancellationToken);

    /// <summary>Deletes an archive. Deleting an id that does not exist raises <see cref="ArchiveNotFoundException"/>.</summary>
    Task DeleteAsync(string archiveId, CancellationToken cancellationToken);
}

/// <summary>An archive upload in progress.</summary>
public interface IArchiveUpload : IAsyncDisposable
{
    /// <summary>Write-only stream that receives the archive bytes, in order.</summary>
    Stream Content { get; }

    /// <summary>Finishes the upload and returns where the archive is. Only after this does the archive exist.</summary>
    Task<StoredArchive> CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>What a backend needs to know about an archive it is about to store.</summary>
/// <param name="RunKey">The run's key in the JSON log (launch unix timestamp).</param>
/// <param name="Description">The user's archive description (any unicode; backends encode it as they must).</param>
public sealed record ArchiveUploadInfo(string RunKey, string Description)
{
    /// <summary>
    /// Where cloud backends spool the archive so an interrupted upload can be resumed (see docs/FORMAT.md and
    /// <c>autoglacier resume</c>); null uploads from memory, with no resume. The local vault ignores it.
    /// </summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>Told about the upload as it happens (ticket, sealed spool) so the run's log can resume it.</summary>
    internal Multipart.IUploadJournal? Journal { get; init; }

    /// <summary>
    /// What the object is: a run's archive (the default) or its snapshot catalog. Backends keep catalogs apart and
    /// readable without a retrieval where they can (S3: <c>CATALOG_STORAGE_CLASS</c>; Glacier: a description that
    /// marks it; local: beside the archives) and say which is which in <see cref="IVault.ListAsync"/>.
    /// </summary>
    public VaultObjectKind Kind { get; init; } = VaultObjectKind.Archive;
}

/// <summary>What a vault object holds.</summary>
public enum VaultObjectKind
{
    /// <summary>A run's encrypted archive (tar + manifest).</summary>
    Archive,
    /// <summary>A run's encrypted snapshot catalog: the listing of what the snapshot holds and where its bytes are.</summary>
    Catalog,
}

/// <summary>An archive that a backend has stored.</summary>
/// <param name="ArchiveId">The backend's id for the archive; never reused.</param>
/// <param name="Size">Bytes stored.</param>
/// <param name="Location">Backend-specific location (a path, a Glacier location header, an S3 URI).</param>
public sealed record StoredArchive(string ArchiveId, long Size, string Location);

/// <summary>Options for a retrieval request.</summary>
/// <param name="Tier">Retrieval tier for cold backends (Expedited, Standard, Bulk); null for the configured default.</param>
/// <param name="ExistingToken">A token from an earlier <see cref="RetrievalState"/> (e.g. a Glacier job id) to re-check instead of starting a new job.</param>
/// <param name="Days">How long a restored copy stays readable (S3 restore requests); null for the configured default.</param>
public sealed record RetrievalRequest(string? Tier = null, string? ExistingToken = null, int? Days = null);

/// <summary>Whether an archive can be read now.</summary>
/// <param name="IsReady">True when <see cref="IVault.OpenReadAsync"/> will succeed.</param>
/// <param name="Token">A token to persist (e.g. a job id) and pass back later; null when none is needed.</param>
/// <param name="Message">What is happening, for the user ("ready", "job X in progress, started …").</param>
public sealed record RetrievalState(bool IsReady, string? Token, string Message);

/// <summary>An archive as listed by a vault.</summary>
public sealed record VaultArchive(string ArchiveId, long Size, string? RunKey, string? Description, DateTimeOffset CreatedAt)
{
    /// <summary>Whether it is a run's archive or its snapshot catalog.</summary>
    public VaultObjectKind Kind { get; init; } = VaultObjectKind.Archive;
}

/// <summary>The vault has no archive with the given id.</summary>
public sealed class ArchiveNotFoundException : AutoGlacierException
{
    /// <inheritdoc />
    public ArchiveNotFoundException(string message) : base(message) { }

    /// <inheritdoc />
    public ArchiveNotFoundException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public ArchiveNotFoundException() { }
}
