using AutoGlacier.Streams;
using System.Diagnostics;
using AutoGlacier.Archive;
using AutoGlacier.Archive.Tar;
using AutoGlacier.Encryption;
using AutoGlacier.Hashing;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>
/// One run of the pipeline, from "started" in the log to the final record. It is also the upload's journal: the
/// multipart ticket and the sealed spool go into the run's log record as they happen, so a dead run can be resumed.
/// </summary>
internal sealed class BackupSession(BackupPlan plan, BackupRequest request, FileRecordSpool files, Stopwatch clock) : IUploadJournal, IDisposable
{
    private readonly SemaphoreSlim _logWrite = new(1, 1);
    private readonly Dictionary<string, string> _backendState = new(StringComparer.Ordinal);
    private readonly UploadPartLedger _parts = new();
    private ArchiveFacts? _archive;
    private readonly ILogger _logger = request.Logger;
    private readonly ProgressTracker _progress = new(request.Progress, plan.Gathered.Entries.Count, clock);
    private RunRecord _record = null!;
    private UploadOutcome? _outcome;
    private string? _runKey;
    private int _stored, _skipped, _changed;
    private long _plaintextBytes;
    private readonly List<string> _warnings = [.. plan.Gathered.Warnings];

    public async Task<BackupResult> RunAsync(CancellationToken cancellationToken)
    {
        _skipped = plan.Gathered.Skipped.Count;
        using RunLease lease = RunLease.TryTake(RunLease.PathFor(plan.Config.TmpDir, $"run-{Guid.NewGuid():N}"))
            ?? throw new InvalidOperationException("A fresh lease file cannot be held by another process.");
        _backendState[RunUploadState.LeasePath] = lease.Path;
        _record = InitialRecord();
        try
        {
            _runKey = await plan.Log.StartRunAsync(_record, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Run {RunKey}: {Count} entries to {Backend} ({Location})",
                _runKey, plan.Gathered.Entries.Count, plan.Vault.BackendName, plan.Vault.Location);
            _outcome = await UploadArchiveAsync(_runKey, cancellationToken).ConfigureAwait(false);
            return await FinishAsync(_outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the log must say "failed" rather than stay "started" and the caller gets an exit code.
            return await FailAsync(ex).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _logWrite.Dispose();

    private RunRecord InitialRecord() => new()
    {
        Status = RunStatus.Started,
        StartedAt = DateTimeOffset.UtcNow,
        Description = request.Description,
        Job = request.JobName,
        Backend = plan.Vault.BackendName,
        VaultLocation = plan.Vault.Location,
        Region = plan.Vault.BackendName == "local" ? null : plan.Config.RegionName,
        Compression = plan.Codec.Name,
        EncryptionFormatVersion = ArchiveEncryption.FormatVersion,
        RecipientFingerprints = plan.Recipients.Select(r => r.Fingerprint).ToList(),
        Config = plan.Config.Summary(),
        Warnings = Warnings(),
        BackendState = new Dictionary<string, string>(_backendState),
    };

    /// <summary>The finished archive's facts, known once the pipeline has written its last byte.</summary>
    private sealed record ArchiveFacts(string Sha256, string TreeHash, long Size, long TarSize);

    private sealed record UploadOutcome(StoredArchive Archive, ArchiveFacts Facts);

    private async Task<UploadOutcome> UploadArchiveAsync(string runKey, CancellationToken cancellationToken)
    {
        using var stopFlushing = new CancellationTokenSource();
        Task flushing = FlushPartsPeriodicallyAsync(stopFlushing.Token);
        try
        {
            return await WriteAndStoreAsync(runKey, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopFlushing.CancelAsync().ConfigureAwait(false);
            await flushing.ConfigureAwait(false);
        }
    }

    private async Task<UploadOutcome> WriteAndStoreAsync(string runKey, CancellationToken cancellationToken)
    {
        var info = new ArchiveUploadInfo(runKey, request.Description)
        {
            SpoolDirectory = plan.Config.SpoolArchive ? plan.Config.TmpDir : null,
            Journal = this,
        };
        await using var upload = await plan.Vault.BeginUploadAsync(info, cancellationToken).ConfigureAwait(false);
        var hashing = new ArchiveHashingStream(upload.Content, leaveOpen: true);
        _progress.ArchiveBytes = () => hashing.BytesHashed;
        long tarSize;
        await using (hashing.ConfigureAwait(false))
        {
            var encryptor = ArchiveEncryption.CreateEncryptor(hashing, plan.Recipients, leaveOpen: true);
            await using (encryptor.ConfigureAwait(false))
            {
                var compressor = plan.Codec.CreateCompressor(encryptor, leaveOpen: true);
                await using (compressor.ConfigureAwait(false))
                {
                    var tarCounter = new CountingStream(compressor);
                    await WriteTarAsync(tarCounter, runKey, cancellationToken).ConfigureAwait(false);
                    tarSize = tarCounter.BytesWritten;
                }
            }
            await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        var (sha256, treeHash) = hashing.GetHashes();
        _archive = new ArchiveFacts(sha256, treeHash, hashing.BytesHashed, tarSize);
        var archive = await upload.CompleteAsync(cancellationToken).ConfigureAwait(false);
        _progress.ReportStored();
        return new UploadOutcome(archive, _archive);
    }

    /// <inheritdoc />
    public Task UploadStartedAsync(MultipartTicket ticket, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Run {RunKey}: multipart upload {UploadId} started ({PartSize} bytes per part)", _runKey, ticket.UploadId, ticket.PartSize);
        return RecordStateAsync(record => RunUploadState.WithTicket(record, ticket), withFiles: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task CompletingAsync(string target, CancellationToken cancellationToken) =>
        RecordStateAsync(record => RunUploadState.With(record, (RunUploadState.CompletingTarget, target)), withFiles: false, cancellationToken);

    /// <inheritdoc />
    public void PartStored(UploadedPart part, long start) => _parts.Add(part, start);

    /// <summary>How often acknowledged parts are written to the log while uploading (each write rewrites the log).</summary>
    internal static TimeSpan PartsFlushInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Writes newly acknowledged parts to the run's record every <see cref="PartsFlushInterval"/> until cancelled.</summary>
    private async Task FlushPartsPeriodicallyAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(PartsFlushInterval);
        int written = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                int changes = _parts.Changes;
                if (changes != written)
                {
                    await RecordStateAsync(record => record, withFiles: false, stop).ConfigureAwait(false);
                    written = changes;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The upload ended; its final record carries every part.
        }
        catch (Exception ex) when (ex is AutoGlacierException or IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Could not record upload progress in the log {Log}: {Message}", plan.Log.Path, ex.Message);
        }
    }

    /// <inheritdoc />
    /// <remarks>The file list goes into the log now: after a crash the resume has no other source for it.</remarks>
    public Task SpoolSealedAsync(string spoolPath, long size, CancellationToken cancellationToken) =>
        RecordStateAsync(record => RunUploadState.With(record, (RunUploadState.SpoolPath, spoolPath)) with { Status = RunStatus.Uploading },
            withFiles: true, cancellationToken);

    /// <summary>Writes the run's record (with the archive's facts once known) after folding a change into its backend state.</summary>
    private async Task RecordStateAsync(Func<RunRecord, RunRecord> change, bool withFiles, CancellationToken cancellationToken)
    {
        await _logWrite.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RunRecord record = change(RecordWithArchive());
            _record = _record with { Status = record.Status }; // "uploading" must survive a later ticket write (S3 may initiate after sealing)
            _backendState.Clear();
            foreach (var (key, value) in record.BackendState)
            {
                _backendState[key] = value;
            }

            await (withFiles
                ? plan.Log.CompleteRunAsync(_runKey!, record, files, cancellationToken)
                : plan.Log.UpdateRunAsync(_runKey!, record, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _logWrite.Release();
        }
    }

    private async Task WriteTarAsync(Stream tarOutput, string runKey, CancellationToken cancellationToken)
    {
        var tar = new ArchiveTarWriter(tarOutput);
        await using (tar.ConfigureAwait(false))
        {
            foreach (var entry in plan.Gathered.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _progress.StartFile(entry.FullPath);
                var fileRecord = await tar.WriteAsync(entry, _progress.AddBytes, cancellationToken).ConfigureAwait(false);
                Account(fileRecord);
                files.Append(fileRecord);
                _progress.FinishFile();
            }
            await WriteManifestAsync(tar, runKey, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Account(FileRecord fileRecord)
    {
        switch (fileRecord.Status)
        {
            case FileStatus.Skipped:
                _skipped++;
                Warn($"skipped '{fileRecord.Path}': {fileRecord.Reason}");
                return;
            case FileStatus.ChangedWhileRead:
                _changed++;
                Warn($"'{fileRecord.Path}' changed while it was read; the stored copy may be inconsistent");
                break;
        }
        _stored++;
        _plaintextBytes += fileRecord.Size ?? 0;
    }

    private void Warn(string warning)
    {
        lock (_warnings)
        {
            _warnings.Add(warning);
        }
        _logger.LogWarning("{Warning}", warning);
    }

    /// <summary>
    /// Writes the run's record and file list as the archive's last entry, so the archive describes itself. The
    /// document goes through a temp file first because a tar header needs the entry's size up front.
    /// </summary>
    private async Task WriteManifestAsync(ArchiveTarWriter tar, string runKey, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(plan.Config.TmpDir, $".autoglacier-manifest-{Guid.NewGuid():N}.json");
        try
        {
            var manifestRecord = CurrentRecord() with { Status = FinalStatus() };
            // Owner-only: it lists every path of the backup.
            var manifest = new FileStream(manifestPath, NewFileOptions.Create(FileAccess.ReadWrite, 1 << 16, NewFileOptions.Private, FileOptions.DeleteOnClose));
            await using (manifest.ConfigureAwait(false))
            {
                await JsonRunLog.WriteRunDocumentAsync(manifest, runKey, manifestRecord, files, cancellationToken).ConfigureAwait(false);
                manifest.Position = 0;
                await tar.WriteExtraFileAsync(ManifestEntryName(runKey), manifest, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(manifestPath);
        }
    }

    /// <summary>The tar entry name of a run's manifest.</summary>
    internal static string ManifestEntryName(string runKey) => $".autoglacier/manifest-{runKey}.json";

    /// <summary>A copy of the warnings; the upload's journal calls read them from the pump's thread while the writer adds.</summary>
    private List<string> Warnings()
    {
        lock (_warnings)
        {
            return [.. _warnings];
        }
    }

    private string FinalStatus() => RunStatus.Final(CurrentRecord());

    private RunRecord CurrentRecord() => _record with
    {
        FilesStored = _stored,
        FilesSkipped = _skipped,
        FilesChanged = _changed,
        PlaintextSize = _plaintextBytes,
        Warnings = Warnings(),
        BackendState = new Dictionary<string, string>(_backendState),
    };

    /// <summary>The record with the archive's facts once the pipeline finished, and where it is once stored.</summary>
    private RunRecord RecordWithArchive()
    {
        RunRecord record = (_archive is not { } facts ? CurrentRecord() : CurrentRecord() with
        {
            ArchiveSize = facts.Size,
            ArchiveSha256 = facts.Sha256,
            ArchiveTreeHash = facts.TreeHash,
            TarSize = facts.TarSize,
        }) with { UploadParts = _parts.Snapshot() };
        return _outcome is not { } outcome ? record : record with { ArchiveId = outcome.Archive.ArchiveId, ArchiveLocation = outcome.Archive.Location };
    }

    private async Task<BackupResult> FinishAsync(UploadOutcome outcome, CancellationToken cancellationToken)
    {
        var status = FinalStatus();
        var record = RunUploadState.Finished(RecordWithArchive())
            with { Status = status, EndedAt = DateTimeOffset.UtcNow };
        await plan.Log.CompleteRunAsync(_runKey!, record, files, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Run {RunKey} {Status}: {Stored} stored, {Skipped} skipped, {Plain} bytes read, archive {Id} ({Size} bytes) in {Seconds:F1} s",
            _runKey, status, _stored, _skipped, _plaintextBytes, outcome.Archive.ArchiveId, outcome.Facts.Size, clock.Elapsed.TotalSeconds);
        return Result(status) with { ArchiveId = outcome.Archive.ArchiveId, ArchiveSize = outcome.Facts.Size };
    }

    private async Task<BackupResult> FailAsync(Exception ex)
    {
        var message = ex switch
        {
            OperationCanceledException => "the backup was cancelled",
            AutoGlacierException or IOException or UnauthorizedAccessException => ex.Message,
            _ => $"unexpected {ex.GetType().Name}: {ex.Message} (please report this as a bug)",
        };
        _logger.LogError("Backup failed: {Message}", message);
        if (_outcome is not null)
        {
            // The archive is stored even though recording it failed: say where it is so it is not orphaned.
            _logger.LogError("The archive was stored as {ArchiveId} ({Size} bytes, SHA-256 {Sha256}) before the failure",
                _outcome.Archive.ArchiveId, _outcome.Facts.Size, _outcome.Facts.Sha256);
        }
        if (_runKey is not null)
        {
            try
            {
                // An interrupted upload keeps its spool and ticket in the record: that is what a resume starts from.
                string status = ex is UploadInterruptedException ? RunStatus.Interrupted : RunStatus.Failed;
                var record = RunUploadState.With(RecordWithArchive(), (RunUploadState.LeasePath, null))
                    with { Status = status, Error = message, EndedAt = DateTimeOffset.UtcNow };
                await plan.Log.CompleteRunAsync(_runKey, record, files, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception logError) when (logError is AutoGlacierException or IOException or UnauthorizedAccessException)
            {
                _logger.LogError("Could not record the failure in the log {Log}: {Message}", plan.Log.Path, logError.Message);
            }
        }
        return Result(RunStatus.Failed) with { Error = message, ArchiveId = _outcome?.Archive.ArchiveId, ArchiveSize = _outcome?.Facts.Size ?? 0 };
    }

    private BackupResult Result(string status) => new()
    {
        RunKey = _runKey,
        Status = status,
        FilesStored = _stored,
        FilesSkipped = _skipped,
        FilesChanged = _changed,
        PlaintextSize = _plaintextBytes,
        Warnings = Warnings(),
        Elapsed = clock.Elapsed,
        ExitCode = status switch
        {
            RunStatus.Succeeded => ExitCodes.Success,
            RunStatus.CompletedWithWarnings => ExitCodes.CompletedWithWarnings,
            _ => ExitCodes.Error,
        },
    };
}
