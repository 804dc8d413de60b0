using System.Formats.Tar;
using AutoGlacier.Configuration;
using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Restore;

/// <summary>
/// Restore and verify of a snapshot run: its complete file set, from the archives of its chain. Plans from the
/// local catalogs which archives hold a wanted entry (reported before anything is requested), requests every
/// retrieval at once, and streams through each archive as it becomes readable, handling only the planned entries
/// and checking each file's SHA-256 against the catalog and each archive's hashes against its run's record.
/// </summary>
internal sealed class SnapshotRestore
{
    private readonly GteuConfig _config;
    private readonly IVault _vault;
    private readonly JsonRunLog _log;
    private readonly string _runKey;
    private readonly IReadOnlyDictionary<string, RunRecord> _runs;
    private readonly RetrievalOptions _retrieval;
    private readonly ILogger _logger;
    private readonly IProgress<RestoreProgress>? _progress;
    private readonly List<string> _problems = [];
    private (int Entries, int Verified, long Bytes) _done;

    private SnapshotRestore(GteuConfig config, IVault vault, JsonRunLog log, string runKey, IReadOnlyDictionary<string, RunRecord> runs,
        RetrievalOptions retrieval, ILogger logger, IProgress<RestoreProgress>? progress)
    {
        (_config, _vault, _log, _runKey, _runs) = (config, vault, log, runKey, runs);
        (_retrieval, _logger, _progress) = (retrieval, logger, progress);
    }

    /// <summary>
    /// The snapshot restore of the run <paramref name="selector"/> names, or null when that is not a snapshot run
    /// (an archive id, a run logged before snapshots, a seed run: those are read as one archive).
    /// </summary>
    public static async Task<SnapshotRestore?> TryOpenAsync(GteuConfig config, IVault? vault, RunSelector selector, RetrievalOptions retrieval,
        ILogger logger, IProgress<RestoreProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (selector.ArchiveId is not null || selector.SeedFormat || !File.Exists(config.JsonDatabase)) { return null; }
        var log = new JsonRunLog(config.JsonDatabase);
        var (runKey, record) = await selector.ResolveAsync(log, cancellationToken).ConfigureAwait(false);
        if (runKey is null || record?.Snapshot is null) { return null; }
        var runs = new Dictionary<string, RunRecord>(StringComparer.Ordinal);
        foreach (var (key, run) in await log.ListRunsAsync(cancellationToken).ConfigureAwait(false)) { runs[key] = run; }
        return new SnapshotRestore(config, vault ?? VaultFactory.Create(config), log, runKey, runs, retrieval, logger, progress);
    }

    /// <summary>
    /// Plans, retrieves and reads the snapshot's archives, passing each planned entry to <paramref name="sink"/>.
    /// Without a key only the stored archives' hashes are checked. The key may still be being unlocked: planning
    /// needs none, and it is awaited before any retrieval is requested.
    /// </summary>
    /// <exception cref="CatalogException">A catalog of the chain is missing or damaged.</exception>
    /// <exception cref="RetrievalPendingException">An archive is not readable yet and the options say not to wait (or long enough).</exception>
    public async Task<RestoreResult> RunAsync(Task<PrivateKey?> unlocking, IReadOnlyList<string> includes, ISnapshotEntrySink sink,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unlocking);
        var plan = await PlanAsync(includes, cancellationToken).ConfigureAwait(false);
        var key = await unlocking.ConfigureAwait(false);
        var archives = plan.Archives.Select(Retrievable).ToList();
        var planned = archives.Select((a, i) => PlannedArchiveOf(plan.Archives[i], a.Record)).ToList();
        var board = new ArchiveProgressBoard(planned);
        using var tracker = new RestoreProgressTracker(_progress, board.Snapshot);
        long? totalSize = planned.All(a => a.ArchiveSize is not null) ? planned.Sum(a => a.ArchiveSize!.Value) : null;
        tracker.Planned(totalSize, (int)Math.Min(plan.Entries, int.MaxValue));
        _logger.LogInformation("Snapshot {RunKey}: {Entries} entries ({Bytes} bytes of files) from {Archives} archive(s): {List}", _runKey, plan.Entries,
            plan.Bytes, planned.Count, string.Join(", ", planned.Select(a => $"{a.ArchiveId} of run {a.RunKey} ({a.Entries} entries)")));
        var retrievals = new SnapshotRetrievals(_config, _vault, _log, _retrieval, _logger)
        {
            OnWaiting = (index, wait) => Waiting(board, tracker, index, wait),
            OnReady = index => { board.Ready(index); tracker.Refresh(); },
        };
        var reading = false;
        await foreach (var index in retrievals.InReadableOrderAsync(archives, _runKey, cancellationToken).ConfigureAwait(false))
        {
            if (!reading) { tracker.StartReading(board.TotalBytesRead, totalSize, (int)Math.Min(plan.Entries, int.MaxValue)); }
            reading = true;
            await ReadArchiveAsync(plan, index, archives[index], key, sink, board, tracker, cancellationToken).ConfigureAwait(false);
        }
        tracker.Done();
        return new RestoreResult
        {
            RunKey = _runKey, ArchiveId = _runs[_runKey].ArchiveId, EntriesProcessed = _done.Entries, FilesVerified = _done.Verified,
            Bytes = _done.Bytes, Problems = _problems.ToList(), Plan = planned,
        };
    }

    private async Task<RestorePlan> PlanAsync(IReadOnlyList<string> includes, CancellationToken cancellationToken)
    {
        var chain = SnapshotCatalogs.ChainOf(_runKey, _runs);
        foreach (var run in chain)
        {
            // A base logged before snapshots gets its catalog from its file list, once.
            await SnapshotCatalogs.EnsureLegacyCatalogAsync(_log, run, _runs[run], cancellationToken).ConfigureAwait(false);
        }
        var plan = RestorePlanner.Plan(SnapshotCatalogs.Listing(_log.Path, chain), includes);
        if (plan.Archives.Count == 0)
        {
            _logger.LogWarning("Snapshot {RunKey} has no entry matching {Includes}: nothing to read", _runKey, string.Join(" ", includes));
        }
        return plan;
    }

    /// <summary>The archive's run as the log has it, refusing one whose archive is gone or differs from the catalog's.</summary>
    private ArchiveToRetrieve Retrievable(ArchiveNeed need)
    {
        var record = _runs.GetValueOrDefault(need.Run) ?? throw new CatalogException(
            $"Snapshot {_runKey} needs archive {need.Archive} of run {need.Run}, which is not in the log; `autoglacier recover` rebuilds the log from the vault.");
        // A migrated run keeps its catalog, which names the archive's id in the vault it was moved from; a run
        // recovered from the vault it moved to records that id too.
        if (record.ArchiveId != need.Archive && record.BackendState.GetValueOrDefault(Migration.MigrationState.MovedFromArchiveKey) != need.Archive
            && record.BackendState.GetValueOrDefault(Recovery.RecoveredRunRecord.CatalogArchiveKey) != need.Archive)
        {
            throw new CatalogException($"The catalog of snapshot {_runKey} places entries in archive {need.Archive} of run {need.Run}, " +
                $"but the log records archive {record.ArchiveId ?? "(none)"} for that run: the catalog or the log is damaged.");
        }
        if (record.BackendState.ContainsKey(RunDeletion.DeletedAtKey))
        {
            throw new AutoGlacierException($"Snapshot {_runKey} needs archive {need.Archive} of run {need.Run}, which was deleted " +
                $"({record.BackendState[RunDeletion.DeletedAtKey]}): the snapshot cannot be restored completely. " +
                "Restore the files other archives hold with --include, or an archive on its own with --archive.");
        }
        return new ArchiveToRetrieve(need.Run, record, record.ArchiveId!); // after a migration: its id in the vault it lives in now
    }

    private static PlannedArchive PlannedArchiveOf(ArchiveNeed need, RunRecord record) => new()
    {
        RunKey = need.Run, ArchiveId = need.Archive, Entries = need.Entries, Files = need.Files, Bytes = need.Bytes, ArchiveSize = record.ArchiveSize,
    };

    private static void Waiting(ArchiveProgressBoard board, RestoreProgressTracker tracker, int index, RetrievalWait? wait)
    {
        board.Waiting(index, wait);
        if (wait is not null && !board.IsReading) { tracker.Waiting(wait); }
        else { tracker.Refresh(); }
    }

    private async Task ReadArchiveAsync(RestorePlan plan, int index, ArchiveToRetrieve archive, PrivateKey? key, ISnapshotEntrySink sink,
        ArchiveProgressBoard board, RestoreProgressTracker tracker, CancellationToken cancellationToken)
    {
        await using var reader = await ArchiveReader.OpenAsync(_vault, archive.ArchiveId, key, cancellationToken).ConfigureAwait(false);
        board.StartReading(index, () => reader.ArchiveBytesRead);
        tracker.Refresh();
        if (reader.Tar is not null)
        {
            var need = plan.Archives[index];
            using var matcher = new PlannedEntryMatcher(plan.StoredElsewhereIn(need), plan.StoredUnderOwnNameIn(need));
            while (!matcher.Complete && await reader.Tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (ArchiveWalk.IsManifest(entry.Name) || matcher.Match(entry.Name) is not { Count: > 0 } matches) { continue; }
                if (board.Extracting(index)) { tracker.Refresh(); }
                await HandleAsync(entry, matches, archive, sink, tracker, cancellationToken).ConfigureAwait(false);
                board.EntriesDone(index, matches.Count);
            }
            foreach (var missing in matcher.Unmatched())
            {
                Problem($"'{missing.TarName}' is in snapshot {_runKey}'s catalog as held by archive {archive.ArchiveId} of run {archive.RunKey}, " +
                    "but that archive has no such entry; it was not restored");
            }
        }
        // Draining the rest authenticates every encrypted chunk and gives the stored archive's hashes.
        var (size, sha, tree) = await reader.FinishAsync(cancellationToken).ConfigureAwait(false);
        ArchiveWalk.CompareArchive(_problems, archive.Record, archive.ArchiveId, size, sha, tree);
        board.Done(index, size);
        tracker.Refresh();
    }

    /// <summary>
    /// Handles the planned entries whose bytes are <paramref name="entry"/>: the first from the tar stream, under its
    /// own path; any others (copies within the tree) from what the first gave.
    /// </summary>
    private async Task HandleAsync(TarEntry entry, IReadOnlyList<PlannedEntry> matches, ArchiveToRetrieve archive, ISnapshotEntrySink sink,
        RestoreProgressTracker tracker, CancellationToken cancellationToken)
    {
        string? hash = null, failed = null;
        for (var i = 0; i < matches.Count; i++)
        {
            var planned = matches[i];
            tracker.Entry(RestorePlanner.TarNameOf(planned.Entry));
            try
            {
                if (TypeMismatch(entry, planned.Entry) is { } mismatch) { throw new RestoreEntryException(mismatch); }
                var result = i == 0 ? await sink.HandleAsync(NamedAs(entry, planned), planned, cancellationToken).ConfigureAwait(false)
                    : hash is not null ? await sink.CopyAsync(matches[0], hash, planned, cancellationToken).ConfigureAwait(false)
                    : throw new RestoreEntryException($"'{RestorePlanner.TarNameOf(planned.Entry)}' shares the bytes of '{entry.Name}', which could not be read ({failed})");
                hash ??= result;
                Count(entry.Name, result is null ? 0 : entry.Length, result, planned.Entry.Sha256, archive, tracker);
            }
            catch (Exception ex) when (ArchiveWalk.IsEntryProblem(ex))
            {
                failed ??= ex.Message;
                Problem(ex.Message);
            }
        }
    }

    /// <summary>The tar entry under the planned entry's own name, for a file whose bytes were stored under another (moved or copied).</summary>
    private static TarEntry NamedAs(TarEntry entry, PlannedEntry planned)
    {
        var own = RestorePlanner.TarNameOf(planned.Entry);
        if (entry.Name == own || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) { return entry; }
        return new PaxTarEntry(TarEntryType.RegularFile, own) { DataStream = entry.DataStream };
    }

    private void Count(string name, long bytes, string? hash, string? expected, ArchiveToRetrieve archive, RestoreProgressTracker tracker)
    {
        tracker.EntryDone(bytes);
        _done.Entries++;
        if (hash is null) { return; }
        _done.Bytes += bytes;
        CheckHash(name, hash, expected, archive);
    }

    private void CheckHash(string name, string hash, string? expected, ArchiveToRetrieve archive)
    {
        if (expected is null) { Problem($"'{name}' has no SHA-256 in snapshot {_runKey}'s catalog, so it could not be verified"); }
        else if (!string.Equals(hash, expected, StringComparison.Ordinal))
        {
            Problem($"'{name}' in archive {archive.ArchiveId} of run {archive.RunKey} has SHA-256 {hash}, snapshot {_runKey}'s catalog says {expected}");
        }
        else { _done.Verified++; }
    }

    private static string? TypeMismatch(TarEntry entry, CatalogEntry catalog)
    {
        EntryType? inTar = entry.EntryType switch
        {
            TarEntryType.RegularFile or TarEntryType.V7RegularFile => EntryType.File,
            TarEntryType.Directory => EntryType.Directory,
            TarEntryType.SymbolicLink => EntryType.Symlink,
            _ => null,
        };
        return inTar == catalog.Type ? null
            : $"'{entry.Name}' is a {entry.EntryType} entry in its archive, but the snapshot's catalog lists a {catalog.Type}; it was not restored";
    }

    private void Problem(string message)
    {
        _problems.Add(message);
        _logger.LogError("{Problem}", message);
    }
}
