using System.Diagnostics;
using AutoGlacier.Gathering;
using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>
/// One run, from "started" in the log to the final record: holds the run's lease, runs the
/// <see cref="BackupPipeline"/> while its <see cref="RunJournal"/> keeps the log in step with the upload (so a dead run
/// can be resumed), and ends the run as stored or failed. What the run did is assembled in one
/// <see cref="RunRecordBuilder"/>.
/// </summary>
internal sealed class BackupSession : IDisposable
{
    private readonly BackupPlan _plan;
    private readonly Stopwatch _clock;
    private readonly ILogger _logger;
    private readonly RunRecordBuilder _record;
    private readonly RunJournal _journal;
    private readonly BackupPipeline _pipeline;
    private readonly ProgressTracker _progress;
    private readonly BackupRequest _request;
    private readonly FileRecordSpool _files;

    public BackupSession(BackupPlan plan, BackupRequest request, FileRecordSpool files, Stopwatch clock)
    {
        (_plan, _clock, _logger, _request, _files) = (plan, clock, request.Logger, request, files);
        _record = new RunRecordBuilder(plan, request);
        _journal = new RunJournal(plan.Log, files, _record, _logger);
        _progress = new ProgressTracker(request.Progress, clock)
        {
            UploadedBytes = () => _journal.BytesUploaded,
            PartsInFlight = () => _journal.PartsInFlight,
        };
        _pipeline = new BackupPipeline(plan, request, _journal, _record, files, _progress);
    }

    public async Task<BackupResult> RunAsync(CancellationToken cancellationToken)
    {
        using RunLease lease = RunLease.TryTake(RunLease.PathFor(_plan.Config.TmpDir, $"run-{Guid.NewGuid():N}"))
            ?? throw new InvalidOperationException("A fresh lease file cannot be held by another process.");
        _journal.Set(RunUploadState.LeasePath, lease.Path);
        try
        {
            string runKey = await _journal.StartAsync(cancellationToken).ConfigureAwait(false);
            _progress.StartSurvey();
            var survey = new GatherSurvey(_plan.Gather, cancellationToken, _progress.Surveyed);
            using SnapshotSession snapshot = await BeginSnapshotAsync(runKey, survey, cancellationToken).ConfigureAwait(false);
            survey.Finish();
            _progress.Begin(survey.Entries, survey.Bytes);
            _logger.LogInformation("Run {RunKey}: {Count} entries to {Backend} ({Location}), {Kind} snapshot: {Why}",
                runKey, survey.Entries, _plan.Vault.BackendName, _plan.Vault.Location,
                SnapshotCatalogs.NameOf(snapshot.Choice.Kind), snapshot.Choice.Why);
            StoredArchive archive = await StoreArchiveAsync(runKey, snapshot, cancellationToken).ConfigureAwait(false);
            _record.ArchiveStored(archive);
            await StoreCatalogAsync(runKey, snapshot, archive, cancellationToken).ConfigureAwait(false);
            return await FinishAsync(runKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the log must say "failed" rather than stay "started" and the caller gets an exit code.
            return await FailAsync(ex).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _progress.Dispose();
        _journal.Dispose();
    }

    /// <summary>
    /// Chooses the run's kind and base from the log; each base path the run no longer has goes into its file list as
    /// removed. Move detection reads the survey's walk of the tree, when it needs one.
    /// </summary>
    private Task<SnapshotSession> BeginSnapshotAsync(string runKey, GatherSurvey survey, CancellationToken cancellationToken)
    {
        var start = new SnapshotStart(_plan.Log, _plan.Vault, _plan.Snapshot, _request.JobName, _request.ForceFull, _plan.Config.TmpDir, _request.Clock);
        return SnapshotSession.BeginAsync(start, runKey, _record.StartedAt, survey.Paths(),
            path => _files.Append(new FileRecord { Path = path, Status = FileStatus.Removed }), _record.Warn, cancellationToken);
    }

    /// <summary>
    /// Writes the run's catalog beside the log and stores its encrypted copy in the vault: until both are done the run
    /// is not a snapshot later runs may build on. A catalog that could not be stored leaves the run interrupted, and
    /// <c>resume</c> stores it.
    /// </summary>
    private async Task StoreCatalogAsync(string runKey, SnapshotSession snapshot, StoredArchive archive, CancellationToken cancellationToken)
    {
        try
        {
            snapshot.CommitLocal(archive.ArchiveId, _record.Facts?.Blocks);
            var stored = await CatalogUpload.StoreAsync(_plan.Vault, _plan.Log.Path, runKey, _request.Description, _plan.Recipients,
                _record.Snapshot ?? snapshot.Describe(), cancellationToken).ConfigureAwait(false);
            _record.SnapshotDecided(stored);
        }
        catch (Exception ex) when (ex is AutoGlacierException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            throw new CatalogNotStoredException(
                $"the archive {archive.ArchiveId} is stored but the run's catalog is not ({ex.Message}); `autoglacier resume` stores it", ex);
        }
    }

    /// <summary>Runs the pipeline while the journal writes the upload's acknowledged parts to the log now and then.</summary>
    private async Task<StoredArchive> StoreArchiveAsync(string runKey, SnapshotSession snapshot, CancellationToken cancellationToken)
    {
        using var stopFlushing = new CancellationTokenSource();
        Task flushing = _journal.FlushPartsPeriodicallyAsync(stopFlushing.Token);
        try
        {
            return await _pipeline.RunAsync(runKey, snapshot, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopFlushing.CancelAsync().ConfigureAwait(false);
            await flushing.ConfigureAwait(false);
        }
    }

    private async Task<BackupResult> FinishAsync(string runKey, CancellationToken cancellationToken)
    {
        string status = _record.FinalStatus();
        await _journal.EndAsync(record => RunUploadState.Finished(record) with { Status = status, EndedAt = DateTimeOffset.UtcNow },
            cancellationToken).ConfigureAwait(false);
        BackupResult result = _record.Result(runKey, status, _clock);
        _logger.LogInformation("Run {RunKey} {Status}: {Stored} stored, {Skipped} skipped, {Plain} bytes read, archive {Id} ({Size} bytes) in {Seconds:F1} s",
            runKey, status, result.FilesStored, result.FilesSkipped, result.PlaintextSize, result.ArchiveId, result.ArchiveSize, _clock.Elapsed.TotalSeconds);
        return result;
    }

    private async Task<BackupResult> FailAsync(Exception ex)
    {
        var message = ex switch
        {
            OperationCanceledException => "the backup was cancelled",
            CatalogNotStoredException => ex.Message,
            AutoGlacierException or IOException or UnauthorizedAccessException => ex.Message,
            _ => $"unexpected {ex.GetType().Name}: {ex.Message} (please report this as a bug)",
        };
        _logger.LogError("Backup failed: {Message}", message);
        if (_record.Stored is { } stored && _record.Facts is { } facts)
        {
            // The archive is stored even though recording it failed: say where it is so it is not orphaned.
            _logger.LogError("The archive was stored as {ArchiveId} ({Size} bytes, SHA-256 {Sha256}) before the failure",
                stored.ArchiveId, facts.Size, facts.Sha256);
        }
        if (_journal.RunKey is not null)
        {
            try
            {
                // An interrupted upload keeps its spool and ticket in the record: that is what a resume starts from.
                string status = ex is UploadInterruptedException or CatalogNotStoredException ? RunStatus.Interrupted : RunStatus.Failed;
                if (status == RunStatus.Failed) { PendingCatalog.Discard(_plan.Log.Path, _journal.RunKey); }
                await _journal.EndAsync(record => RunUploadState.With(record, (RunUploadState.LeasePath, null))
                    with { Status = status, Error = message, EndedAt = DateTimeOffset.UtcNow }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception logError) when (logError is AutoGlacierException or IOException or UnauthorizedAccessException)
            {
                _logger.LogError("Could not record the failure in the log {Log}: {Message}", _journal.LogPath, logError.Message);
            }
        }
        return _record.Result(_journal.RunKey, RunStatus.Failed, _clock) with { Error = message };
    }
}
