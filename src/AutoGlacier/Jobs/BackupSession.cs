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
/// One run of the pipeline, from "started" in the log to the final record. Its <see cref="RunJournal"/> keeps the
/// record in step with the upload as it happens, so a dead run can be resumed.
/// </summary>
internal sealed class BackupSession : IDisposable
{
    private readonly BackupPlan _plan;
    private readonly BackupRequest _request;
    private readonly FileRecordSpool _files;
    private readonly Stopwatch _clock;
    private readonly RunJournal _journal;
    private ArchiveFacts? _archive;
    private readonly ILogger _logger;
    private readonly ProgressTracker _progress;
    private readonly List<string> _warnings;
    private RunRecord _record = null!;
    private UploadOutcome? _outcome;
    private string? _runKey;
    private int _stored, _skipped, _changed;
    private long _plaintextBytes;

    public BackupSession(BackupPlan plan, BackupRequest request, FileRecordSpool files, Stopwatch clock)
    {
        (_plan, _request, _files, _clock) = (plan, request, files, clock);
        _logger = request.Logger;
        _warnings = [.. plan.Gathered.Warnings];
        _journal = new RunJournal(plan.Log, files, _logger, RecordWithArchiveFacts);
        _progress = new ProgressTracker(request.Progress, plan.Gathered, clock) { UploadedBytes = () => _journal.BytesUploaded };
    }

    public async Task<BackupResult> RunAsync(CancellationToken cancellationToken)
    {
        _skipped = _plan.Gathered.Skipped.Count;
        using RunLease lease = RunLease.TryTake(RunLease.PathFor(_plan.Config.TmpDir, $"run-{Guid.NewGuid():N}"))
            ?? throw new InvalidOperationException("A fresh lease file cannot be held by another process.");
        _journal.Set(RunUploadState.LeasePath, lease.Path);
        _record = InitialRecord();
        try
        {
            _runKey = await _plan.Log.StartRunAsync(_journal.Apply(_record), cancellationToken).ConfigureAwait(false);
            _journal.RunKey = _runKey;
            _logger.LogInformation("Run {RunKey}: {Count} entries to {Backend} ({Location})",
                _runKey, _plan.Gathered.Entries.Count, _plan.Vault.BackendName, _plan.Vault.Location);
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
    public void Dispose()
    {
        _progress.Dispose();
        _journal.Dispose();
    }

    private RunRecord InitialRecord() => new()
    {
        Status = RunStatus.Started,
        StartedAt = DateTimeOffset.UtcNow,
        Description = _request.Description,
        Job = _request.JobName,
        Backend = _plan.Vault.BackendName,
        VaultLocation = _plan.Vault.Location,
        Region = _plan.Vault.BackendName == "local" ? null : _plan.Config.RegionName,
        Compression = _plan.Codec.Name,
        EncryptionFormatVersion = ArchiveEncryption.FormatVersion,
        RecipientFingerprints = _plan.Recipients.Select(r => r.Fingerprint).ToList(),
        Config = _plan.Config.Summary(),
        Warnings = Warnings(),
    };

    /// <summary>The finished archive's facts, known once the pipeline has written its last byte.</summary>
    private sealed record ArchiveFacts(string Sha256, string TreeHash, long Size, long TarSize);

    private sealed record UploadOutcome(StoredArchive Archive, ArchiveFacts Facts);

    private async Task<UploadOutcome> UploadArchiveAsync(string runKey, CancellationToken cancellationToken)
    {
        using var stopFlushing = new CancellationTokenSource();
        Task flushing = _journal.FlushPartsPeriodicallyAsync(stopFlushing.Token);
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
        var info = new ArchiveUploadInfo(runKey, _request.Description)
        {
            SpoolDirectory = _plan.Config.SpoolArchive ? _plan.Config.TmpDir : null,
            Journal = _journal,
        };
        await using var upload = await _plan.Vault.BeginUploadAsync(info, cancellationToken).ConfigureAwait(false);
        var hashing = new ArchiveHashingStream(upload.Content, leaveOpen: true);
        _progress.ArchiveBytes = () => hashing.BytesHashed;
        long tarSize;
        await using (hashing.ConfigureAwait(false))
        {
            var encryptor = ArchiveEncryption.CreateEncryptor(hashing, _plan.Recipients, leaveOpen: true);
            await using (encryptor.ConfigureAwait(false))
            {
                var compressor = _plan.Codec.CreateCompressor(encryptor, leaveOpen: true);
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

    private async Task WriteTarAsync(Stream tarOutput, string runKey, CancellationToken cancellationToken)
    {
        var tar = new ArchiveTarWriter(tarOutput);
        await using (tar.ConfigureAwait(false))
        {
            foreach (var entry in _plan.Gathered.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _progress.StartFile(entry.FullPath);
                var fileRecord = await tar.WriteAsync(entry, _progress.AddBytes, cancellationToken).ConfigureAwait(false);
                Account(fileRecord);
                _files.Append(fileRecord);
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
        var manifestPath = Path.Combine(_plan.Config.TmpDir, $".autoglacier-manifest-{Guid.NewGuid():N}.json");
        try
        {
            var manifestRecord = CurrentRecord() with { Status = FinalStatus() };
            // Owner-only: it lists every path of the backup.
            var manifest = new FileStream(manifestPath, NewFileOptions.Create(FileAccess.ReadWrite, 1 << 16, NewFileOptions.Private, FileOptions.DeleteOnClose));
            await using (manifest.ConfigureAwait(false))
            {
                await JsonRunLog.WriteRunDocumentAsync(manifest, runKey, manifestRecord, _files, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The record as the session knows it now, with the journal's upload state.</summary>
    private RunRecord CurrentRecord() => _journal.Apply(Counted());

    private RunRecord Counted() => _record with
    {
        FilesStored = _stored,
        FilesSkipped = _skipped,
        FilesChanged = _changed,
        PlaintextSize = _plaintextBytes,
        Warnings = Warnings(),
    };

    /// <summary>The record with the archive's facts once the pipeline finished (what the journal folds its changes into).</summary>
    private RunRecord RecordWithArchiveFacts() => _archive is not { } facts ? Counted() : Counted() with
    {
        ArchiveSize = facts.Size,
        ArchiveSha256 = facts.Sha256,
        ArchiveTreeHash = facts.TreeHash,
        TarSize = facts.TarSize,
    };

    /// <summary>The full record: archive facts, where it is once stored, and the journal's upload state.</summary>
    private RunRecord RecordWithArchive()
    {
        RunRecord record = _journal.Apply(RecordWithArchiveFacts());
        return _outcome is not { } outcome ? record : record with { ArchiveId = outcome.Archive.ArchiveId, ArchiveLocation = outcome.Archive.Location };
    }

    private async Task<BackupResult> FinishAsync(UploadOutcome outcome, CancellationToken cancellationToken)
    {
        var status = FinalStatus();
        var record = RunUploadState.Finished(RecordWithArchive())
            with { Status = status, EndedAt = DateTimeOffset.UtcNow };
        await _plan.Log.CompleteRunAsync(_runKey!, record, _files, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Run {RunKey} {Status}: {Stored} stored, {Skipped} skipped, {Plain} bytes read, archive {Id} ({Size} bytes) in {Seconds:F1} s",
            _runKey, status, _stored, _skipped, _plaintextBytes, outcome.Archive.ArchiveId, outcome.Facts.Size, _clock.Elapsed.TotalSeconds);
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
                await _plan.Log.CompleteRunAsync(_runKey, record, _files, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception logError) when (logError is AutoGlacierException or IOException or UnauthorizedAccessException)
            {
                _logger.LogError("Could not record the failure in the log {Log}: {Message}", _plan.Log.Path, logError.Message);
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
        Elapsed = _clock.Elapsed,
        ExitCode = status switch
        {
            RunStatus.Succeeded => ExitCodes.Success,
            RunStatus.CompletedWithWarnings => ExitCodes.CompletedWithWarnings,
            _ => ExitCodes.Error,
        },
    };
}
