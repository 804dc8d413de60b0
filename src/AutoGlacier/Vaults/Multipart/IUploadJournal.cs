namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// Told about an upload as it happens, so the run's log always says enough to resume it: the upload's ticket as soon
/// as it exists, and the spool once the whole archive is durable in it.
/// </summary>
internal interface IUploadJournal
{
    /// <summary>A multipart upload was initiated (before its first part is sent).</summary>
    Task UploadStartedAsync(MultipartTicket ticket, CancellationToken cancellationToken);

    /// <summary>The backend acknowledged a part (sent now, or found stored on resume). Called concurrently; must be cheap.</summary>
    void PartStored(UploadedPart part, long start);

    /// <summary>A part's upload request starts (for progress: parts in flight). Called concurrently; must be cheap.</summary>
    /// <remarks>Default: ignored, for journals that only keep the upload's state.</remarks>
    void PartSending() { }

    /// <summary>A part's upload request ended, however it ended (after <see cref="PartStored"/> when it succeeded).</summary>
    /// <remarks>Default: ignored, for journals that only keep the upload's state.</remarks>
    void PartSent() { }

    /// <summary>
    /// The archive is about to be made to exist at <paramref name="target"/> (one request, or completing the multipart
    /// upload). A resume that finds the upload gone after this knows it may have been stored already.
    /// </summary>
    Task CompletingAsync(string target, CancellationToken cancellationToken);

    /// <summary>The complete archive is durable in the spool at <paramref name="spoolPath"/> (<paramref name="size"/> bytes).</summary>
    Task SpoolSealedAsync(string spoolPath, long size, CancellationToken cancellationToken);
}

/// <summary>
/// The archive is complete in its spool but the upload did not finish (network, service, a cancelled run). Nothing is
/// lost: <c>autoglacier resume</c> (or the job's next run) finishes it.
/// </summary>
public sealed class UploadInterruptedException : AutoGlacierException
{
    /// <inheritdoc />
    public UploadInterruptedException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public UploadInterruptedException(string message) : base(message) { }

    /// <inheritdoc />
    public UploadInterruptedException() { }
}
