using AutoGlacier.Archive.Tar;
using AutoGlacier.Gathering;
using AutoGlacier.Log;
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
    /// <summary>Writes the run's archive into the vault and returns where it is stored.</summary>
    public async Task<StoredArchive> RunAsync(string runKey, CancellationToken cancellationToken)
    {
        // Gather: done when the plan was made, before anything was read.
        IReadOnlyList<GatheredEntry> gathered = plan.Gathered.Entries;
        // The byte path the tar streams into: compress → encrypt → hash → vault upload.
        var layers = await ArchiveLayers.OpenAsync(plan.Vault, UploadInfo(runKey), plan.Recipients, plan.Codec, cancellationToken).ConfigureAwait(false);
        await using (layers.ConfigureAwait(false))
        {
            progress.ArchiveBytes = () => layers.ArchiveBytes;
            // Tar: every gathered entry, then the manifest that makes the archive describe itself.
            foreach (GatheredEntry entry in gathered)
            {
                cancellationToken.ThrowIfCancellationRequested();
                FileRecord file = await ArchiveEntryAsync(layers.Tar, entry, cancellationToken).ConfigureAwait(false);
                record.Account(file);
                files.Append(file);
            }
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
    /// What becomes of one gathered entry: the one decision point of the tar loop. Today every entry is read into the
    /// tar (its record says stored, skipped with a reason, or changed while read); change detection decides here
    /// whether an unchanged entry becomes a reference to an earlier archive instead.
    /// </summary>
    private async Task<FileRecord> ArchiveEntryAsync(ArchiveTarWriter tar, GatheredEntry entry, CancellationToken cancellationToken)
    {
        progress.StartFile(entry.FullPath);
        FileRecord file = await tar.WriteAsync(entry, progress.AddBytes, cancellationToken).ConfigureAwait(false);
        progress.FinishFile();
        return file;
    }

    /// <summary>The run's record as the archive's manifest states it: with the status the run will end with if stored.</summary>
    private RunRecord ManifestRecord() => journal.Current() with { Status = record.FinalStatus() };

    private ArchiveUploadInfo UploadInfo(string runKey) => new(runKey, request.Description)
    {
        SpoolDirectory = plan.Config.SpoolArchive ? plan.Config.TmpDir : null,
        Journal = journal,
    };
}
