using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>One unfinished run from the log, settled by <see cref="UploadResume"/>: resumed, abandoned or left alone.</summary>
/// <remarks>With <paramref name="progress"/>, a resumed upload reports its parts as <see cref="ResumeProgress"/> (the other outcomes report nothing).</remarks>
internal sealed class UnfinishedRun(JsonRunLog log, string runKey, RunRecord recorded, IMultipartVault vault, GteuConfig config, ILogger logger,
    ResumeProgress? progress = null, IProgress<ResumeProgress>? sink = null)
    : IUploadJournal
{
    private readonly IMultipartBackend _backend = vault.Multipart;
    private readonly UploadPartLedger _parts = new();
    private RunRecord _record = recorded;
    private ResumeProgressTracker? _tracker;

    public async Task<ResumeResult> SettleAsync(CancellationToken cancellationToken)
    {
        using SettlementLeases? leases = SettlementLeases.TryTake(config.TmpDir, runKey, _record);
        if (leases is null)
        {
            return new ResumeResult(runKey, ResumeOutcome.Skipped, SettlementLeases.StillRunning);
        }

        // Re-read under the leases: since the log was listed, the run may have finished, or another resume settled it.
        RunRecord? current = await log.GetRunAsync(runKey, cancellationToken).ConfigureAwait(false);
        if (current is null || !UploadResume.IsUnfinished(current))
        {
            return new ResumeResult(runKey, ResumeOutcome.Skipped, $"it is no longer unfinished (now {current?.Status ?? "gone from the log"})");
        }

        _record = current;
        if (_record.VaultLocation is { } location && location != vault.Location)
        {
            return new ResumeResult(runKey, ResumeOutcome.Skipped,
                $"it was uploading to {location}, but this configuration stores to {vault.Location}; run 'autoglacier resume' with that run's configuration");
        }

        return _record.Status == RunStatus.Started
            ? await AbandonAsync(cancellationToken).ConfigureAwait(false)
            : await ResumeAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task UploadStartedAsync(MultipartTicket ticket, CancellationToken cancellationToken)
    {
        _record = RunUploadState.WithTicket(_record, ticket);
        return log.UpdateRunAsync(runKey, _record, cancellationToken);
    }

    /// <inheritdoc />
    public Task CompletingAsync(string target, CancellationToken cancellationToken)
    {
        _tracker?.Completing();
        _record = RunUploadState.With(_record, (RunUploadState.CompletingTarget, target));
        return log.UpdateRunAsync(runKey, _record, cancellationToken);
    }

    /// <inheritdoc />
    public void PartStored(UploadedPart part, long start)
    {
        _parts.Add(part, start);
        _tracker?.PartStored(part.Length);
    }

    /// <inheritdoc />
    public void PartSending() => _tracker?.PartSending();

    /// <inheritdoc />
    public void PartSent() => _tracker?.PartSent();

    /// <inheritdoc />
    public Task SpoolSealedAsync(string spoolPath, long size, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The process died before the archive was complete: nothing can be resumed; clean up and say so.</summary>
    private async Task<ResumeResult> AbandonAsync(CancellationToken cancellationToken)
    {
        string aborted = await AbortAsync().ConfigureAwait(false);
        File.Delete(ArchiveSpool.PathFor(config.TmpDir, runKey));
        string message = "the backup's process ended before its archive was complete, so there is nothing to resume; " +
            $"{aborted} and the next backup stores these files again";
        await MarkAsync(RunStatus.Failed, message, cancellationToken).ConfigureAwait(false);
        return new ResumeResult(runKey, ResumeOutcome.Abandoned, message);
    }

    private async Task<ResumeResult> ResumeAsync(CancellationToken cancellationToken)
    {
        string? spool = RunUploadState.Spool(_record);
        if (spool is null || !File.Exists(spool) || _record.ArchiveSha256 is null)
        {
            string message = $"the upload spool {spool ?? "(none recorded)"} is gone, so the upload cannot be finished. If it completed just " +
                "before the process ended, 'autoglacier inventory' shows the archive; otherwise run the backup again";
            await MarkAsync(RunStatus.Failed, message, cancellationToken).ConfigureAwait(false);
            return new ResumeResult(runKey, ResumeOutcome.Abandoned, message);
        }

        using ResumeProgressTracker? tracker = _tracker = Track(RunUploadState.Ticket(_record)?.PartSize ?? _backend.PartSize);
        try
        {
            var info = new ArchiveUploadInfo(runKey, _record.Description) { Journal = this };
            long spooled = new FileInfo(spool).Length;
            if (spooled != _record.ArchiveSize)
            {
                throw new SpoolDamagedException($"The upload spool {spool} holds {spooled:N0} bytes, but the archive has {_record.ArchiveSize:N0}.");
            }

            StoredArchive stored = await new UploadResumer(_backend, info, logger)
                .ResumeAsync(spool, RunUploadState.Ticket(_record), _record.ArchiveSha256, RunUploadState.Completing(_record), cancellationToken).ConfigureAwait(false);
            await RecordStoredAsync(stored, cancellationToken).ConfigureAwait(false);
            File.Delete(spool);
            tracker?.Done(stored: true);
            return new ResumeResult(runKey, ResumeOutcome.Resumed, $"stored as {stored.ArchiveId} ({stored.Size:N0} bytes)", stored.ArchiveId);
        }
        catch (SpoolDamagedException ex)
        {
            return await DiscardAsync(spool, ex.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AutoGlacierException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            string message = $"{ex.Message} The spool {spool} is kept; run 'autoglacier resume' again.";
            await MarkAsync(RunStatus.Interrupted, message, CancellationToken.None).ConfigureAwait(false);
            return new ResumeResult(runKey, ResumeOutcome.Failed, message);
        }
    }

    /// <summary>Reports this resume's parts, when a sink was given (the archive's size is the sealed spool's, as recorded).</summary>
    private ResumeProgressTracker? Track(long partSize)
    {
        if (progress is null || sink is null || _record.ArchiveSize is not { } size) { return null; }
        int parts = (int)Math.Max(1, (size + partSize - 1) / partSize);
        return new ResumeProgressTracker(sink, progress with { ArchiveSize = size, PartsTotal = parts });
    }

    /// <summary>The spool can never become the recorded archive: abort the upload, remove the spool, and say to back up again.</summary>
    private async Task<ResumeResult> DiscardAsync(string spool, string reason, CancellationToken cancellationToken)
    {
        string aborted = await AbortAsync().ConfigureAwait(false);
        File.Delete(spool);
        string message = $"{reason} The spool was removed and {aborted}; nothing was stored. Run the backup again.";
        await MarkAsync(RunStatus.Failed, message, cancellationToken).ConfigureAwait(false);
        return new ResumeResult(runKey, ResumeOutcome.Abandoned, message);
    }

    /// <summary>Aborts the run's upload, if it has one, and says what happened.</summary>
    private async Task<string> AbortAsync() => RunUploadState.Ticket(_record) is not { } ticket
        ? "no upload had started"
        : await UploadAbort.QuietlyAsync(_backend, ticket).ConfigureAwait(false)
            ? "its upload was aborted"
            : $"aborting its upload {ticket.UploadId} failed (the service drops it later; for S3 a lifecycle rule does)";

    private Task RecordStoredAsync(StoredArchive stored, CancellationToken cancellationToken)
    {
        RunRecord done = RunUploadState.Finished(_record) with
        {
            ArchiveId = stored.ArchiveId,
            ArchiveLocation = stored.Location,
            UploadParts = _parts.Snapshot(),
            Status = RunStatus.Final(_record),
            Error = null,
            EndedAt = DateTimeOffset.UtcNow,
        };
        return log.UpdateRunAsync(runKey, done, cancellationToken);
    }

    private Task MarkAsync(string status, string error, CancellationToken cancellationToken)
    {
        _record = RunUploadState.With(_record, (RunUploadState.LeasePath, null)) with { Status = status, Error = error, EndedAt = DateTimeOffset.UtcNow };
        return log.UpdateRunAsync(runKey, _record, cancellationToken);
    }
}
