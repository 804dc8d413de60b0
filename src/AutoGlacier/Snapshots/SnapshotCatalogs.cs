using AutoGlacier.Log;

namespace AutoGlacier.Snapshots;

/// <summary>
/// The log's side of snapshots: which runs a snapshot's complete listing is made of (its chain), the listing itself
/// from the local catalogs beside the log, and the local catalog of a run logged before snapshots (made once from
/// its file list, so old runs can be bases and be restored by plan like any other).
/// </summary>
internal static class SnapshotCatalogs
{
    /// <summary>The snapshot kind a record states (a run logged before snapshots is a full).</summary>
    public static SnapshotKind KindOf(RunRecord record) => record.Snapshot?.Kind switch
    {
        null or "full" => SnapshotKind.Full,
        "incremental" => SnapshotKind.Incremental,
        "differential" => SnapshotKind.Differential,
        var other => throw new CatalogException($"The log names an unknown snapshot kind '{other}'; a newer AutoGlacier wrote it."),
    };

    /// <summary>The log's name for <paramref name="kind"/>.</summary>
    public static string NameOf(SnapshotKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The series of a run: job, backend, vault location.</summary>
    public static SeriesId SeriesOf(RunRecord record) =>
        new(record.Snapshot?.Series ?? record.Job ?? "", record.Backend, record.VaultLocation ?? "");

    /// <summary>True when the run ended as a complete snapshot that later runs may build on and restores may use.</summary>
    public static bool IsUsable(RunRecord record) =>
        record.Status is RunStatus.Succeeded or RunStatus.CompletedWithWarnings
        && record.Origin is null
        && record.ArchiveId is not null
        && !record.BackendState.ContainsKey(RunDeletion.DeletedAtKey)
        && (record.Snapshot is null || record.Snapshot.CatalogArchiveId is not null);

    /// <summary>The runs of the log as base selection sees them.</summary>
    public static IEnumerable<SnapshotRun> RunsOf(IEnumerable<KeyValuePair<string, RunRecord>> runs) =>
        runs.Select(r => new SnapshotRun(r.Key, r.Value.StartedAt, IsUsable(r.Value), SeriesOf(r.Value), KindOf(r.Value), r.Value.Snapshot?.Base));

    /// <summary>The runs whose catalogs make up <paramref name="runKey"/>'s complete listing, its full first, itself last.</summary>
    /// <exception cref="CatalogException">A run of the chain is missing from the log.</exception>
    public static IReadOnlyList<string> ChainOf(string runKey, IReadOnlyDictionary<string, RunRecord> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var chain = new List<string> { runKey };
        while (runs.TryGetValue(chain[^1], out var record) ? record.Snapshot?.Base is { } next : throw MissingRun(chain[^1], runKey))
        {
            if (chain.Contains(next)) { throw new CatalogException($"The log's snapshot chain of run {runKey} loops at run {next}: the log is damaged."); }
            chain.Add(next);
        }
        chain.Reverse();
        return chain;
    }

    /// <summary>
    /// Opens the complete listing of the snapshot whose chain is <paramref name="chain"/> (oldest first) from the
    /// local catalogs beside <paramref name="logPath"/>; each call of the returned function reads them again.
    /// </summary>
    /// <exception cref="CatalogException">A catalog is missing (then <c>recover</c> rebuilds it from the vault) or damaged.</exception>
    public static Func<IEnumerable<CatalogEntry>> Listing(string logPath, IReadOnlyList<string> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        foreach (var runKey in chain) { RequireLocal(logPath, runKey); }
        return () => Read(logPath, chain);
    }

    /// <summary>The local catalog of run <paramref name="runKey"/>, or an error that says what to do.</summary>
    public static string RequireLocal(string logPath, string runKey)
    {
        var path = LocalCatalogFile.PathFor(logPath, runKey);
        return File.Exists(path) ? path : throw new CatalogException(
            $"The catalog of run {runKey} is missing from {LocalCatalogFile.DirectoryFor(logPath)}; " +
            "`autoglacier recover` rebuilds it from the vault (it needs the private key).");
    }

    private static IEnumerable<CatalogEntry> Read(string logPath, IReadOnlyList<string> chain)
    {
        var readers = new List<CatalogReader>();
        try
        {
            foreach (var runKey in chain) { readers.Add(CatalogReader.OpenFile(RequireLocal(logPath, runKey))); }
            foreach (var entry in CatalogChain.Resolve(readers.Select(r => r.Entries()).ToList())) { yield return entry; }
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }
    }

    /// <summary>
    /// Writes the local catalog of a run logged before snapshots from its file list, once. Its entries carry what
    /// the old log recorded (no ctime, inode or owner: unknown is never a change) and no tar offsets. The file list
    /// is sorted in memory: a one-time cost per old run.
    /// </summary>
    public static async Task EnsureLegacyCatalogAsync(JsonRunLog log, string runKey, RunRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(record);
        if (record.Snapshot is not null || File.Exists(LocalCatalogFile.PathFor(log.Path, runKey))) { return; }
        var entries = new List<CatalogEntry>();
        await foreach (var file in log.ReadFilesAsync(runKey, cancellationToken).ConfigureAwait(false))
        {
            if (LegacyEntry(file, runKey, record.ArchiveId) is { } entry) { entries.Add(entry); }
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var header = new CatalogHeader { Run = runKey, Kind = SnapshotKind.Full, Series = SeriesOf(record), StartedAt = record.StartedAt };
        using var catalog = LocalCatalogFile.Create(log.Path, header);
        foreach (var entry in entries) { catalog.Writer.Add(entry); }
        catalog.Commit();
    }

    private static CatalogEntry? LegacyEntry(FileRecord file, string runKey, string? archiveId)
    {
        if (file.Status is not (FileStatus.Stored or FileStatus.ChangedWhileRead)) { return null; }
        EntryType? type = file.Type switch { "file" => EntryType.File, "directory" => EntryType.Directory, "symlink" => EntryType.Symlink, _ => null };
        if (type is not { } kind) { return null; }
        return new CatalogEntry
        {
            Path = file.Path,
            Type = kind,
            Size = kind == EntryType.File ? file.Size : null,
            MtimeNs = file.Mtime is { } mtime ? (mtime - DateTimeOffset.UnixEpoch).Ticks * 100 : null,
            Mode = file.Mode,
            Link = file.LinkTarget,
            Sha256 = file.Hash,
            Run = runKey,
            Archive = archiveId,
        };
    }

    private static CatalogException MissingRun(string missing, string runKey) =>
        new($"Run {missing}, in the snapshot chain of run {runKey}, is not in the log; `autoglacier recover` rebuilds the log from the vault.");
}
