using AutoGlacier.Archive.Tar;
using AutoGlacier.Gathering;
using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Vaults;

namespace AutoGlacier;

/// <summary>
/// The GTEU pipeline of one run, in one streaming pass: gathered entries → tar (each file hashed as it is read) →
/// compress → encrypt → hash (SHA-256 + tree hash) → vault. It records what it does in the run's
/// <see cref="RunRecordBuilder"/> and file list; the <see cref="RunJournal"/> tells the log about the upload.
/// </summary>
internal sealed class BackupPipeline(BackupPlan plan, BackupRequest request, RunJournal journal, RunRecordBuilder record,
    FileRecordSpool files, ProgressTracker progress)
{
    /// <summary>Writes the run's archive into the vault and returns where it is stored; <paramref name="snapshot"/> decides each entry.</summary>
    public async Task<StoredArchive> RunAsync(string runKey, SnapshotSession snapshot, CancellationToken cancellationToken)
    {
        // Gather: walked in path order, as the catalogs are, while the tar is written; a path below a root that
        // cannot be stored is recorded as skipped, like a file the tar cannot read.
        IEnumerable<GatheredEntry> gathered = plan.Gather.Walk(RecordSkipped, cancellationToken);
        // The byte path the tar streams into: compress → encrypt → hash → vault upload.
        var layers = await ArchiveLayers.OpenAsync(plan.Vault, UploadInfo(runKey), plan.Recipients, plan.Codec, cancellationToken).ConfigureAwait(false);
        await using (layers.ConfigureAwait(false))
        {
            progress.ArchiveBytes = () => layers.ArchiveBytes;
            // Tar: every entry the snapshot does not already hold, then its catalog and the manifest, so the archive
            // describes itself.
            foreach (GatheredEntry entry in gathered)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await ArchiveEntryAsync(layers, snapshot, entry, cancellationToken).ConfigureAwait(false) is { } file)
                {
                    record.Account(file);
                    files.Append(file);
                }
            }
            await layers.Tar.WriteExtraFileAsync(SnapshotManifest.EntryName(runKey), snapshot.CompleteForArchive(), cancellationToken).ConfigureAwait(false);
            record.SnapshotDecided(snapshot.Describe());
            await RunManifest.WriteAsync(layers.Tar, plan.Config.TmpDir, runKey, ManifestRecord(), files, cancellationToken).ConfigureAwait(false);
            // Compress, encrypt, hash: each layer's last bytes flow down; the hashes are then final.
            ArchiveFacts facts = await layers.SealAsync(cancellationToken).ConfigureAwait(false);
            record.ArchiveWritten(facts);
            // Vault: only now does the archive exist.
            StoredArchive archive = await layers.CompleteUploadAsync(cancellationToken).ConfigureAwait(false);
            progress.ReportStored();
            return archive;
        }
    }

    /// <summary>
    /// What becomes of one gathered entry: the one decision point of the tar loop. An entry the snapshot's base
    /// already holds unchanged (or whose content an earlier archive holds) is not read; any other is read into the
    /// tar, and its record says stored, skipped with a reason, or changed while read. Null: nothing was written.
    /// </summary>
    private async Task<FileRecord?> ArchiveEntryAsync(ArchiveLayers layers, SnapshotSession snapshot, GatheredEntry entry, CancellationToken cancellationToken)
    {
        progress.StartFile(entry.FullPath);
        EntryVerdict verdict = await snapshot.DecideAsync(entry, cancellationToken).ConfigureAwait(false);
        if (!verdict.Store)
        {
            progress.FinishUnreadFile(verdict.Facts?.Size ?? 0);
            return null;
        }
        long offset = layers.TarOffset;
        FileRecord file = await layers.Tar.WriteAsync(entry, progress.AddBytes, cancellationToken).ConfigureAwait(false);
        progress.FinishFile();
        if (verdict.Facts is { } facts)
        {
            if (file.Status == FileStatus.Skipped) { snapshot.NotStored(entry.FullPath); }
            else { snapshot.Stored(facts, file, offset); }
        }
        return file;
    }

    private void RecordSkipped(string path, string reason)
    {
        var skipped = new FileRecord { Path = path, Status = FileStatus.Skipped, Reason = reason };
        record.Account(skipped);
        files.Append(skipped);
    }

    /// <summary>The run's record as the archive's manifest states it: with the status the run will end with if stored.</summary>
    private RunRecord ManifestRecord() => journal.Current() with { Status = record.FinalStatus() };

    private ArchiveUploadInfo UploadInfo(string runKey) => new(runKey, request.Description)
    {
        SpoolDirectory = plan.Config.SpoolArchive ? plan.Config.TmpDir : null,
        Journal = journal,
    };
}
