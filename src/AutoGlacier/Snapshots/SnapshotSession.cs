using AutoGlacier.Gathering;
using AutoGlacier.Hashing;
using AutoGlacier.Log;
using AutoGlacier.Streams;
using AutoGlacier.Vaults;

namespace AutoGlacier.Snapshots;

/// <summary>What a snapshot run needs to know before its first entry.</summary>
/// <param name="Log">The JSON log (its runs choose the base; its catalogs directory holds the base's listing).</param>
/// <param name="Vault">Where the run stores its archive (its name and location are part of the series).</param>
/// <param name="Settings">BACKUP_MODE, FULL_EVERY, CHANGE_DETECTION.</param>
/// <param name="Job">The series' job name.</param>
/// <param name="ForceFull">--full.</param>
/// <param name="TmpDir">Where the run's catalog is written while the archive is.</param>
/// <param name="Clock">FULL_EVERY's clock.</param>
internal sealed record SnapshotStart(JsonRunLog Log, IVault Vault, SnapshotSettings Settings, string Job, bool ForceFull, string TmpDir, TimeProvider Clock);

/// <summary>
/// One run's snapshot: chooses its kind and base, decides each entry in path order (unchanged, referenced, or to be
/// stored) against the base's listing, writes the run's catalog as it goes, and once the archive is stored gives the
/// catalog its final form beside the log. The pipeline asks it about each entry; it never reads the vault.
/// </summary>
internal sealed class SnapshotSession : IDisposable
{
    private readonly string _runKey;
    private readonly string _logPath;
    private readonly string _partialPath;
    private FileStream _partial;
    private readonly CatalogWriter _writer;
    private readonly SnapshotRecorder _recorder;
    private string? _lastPath;

    private SnapshotSession(string runKey, SnapshotStart start, BaseChoice choice, CatalogHeader header, Func<IEnumerable<CatalogEntry>>? baseListing,
        IEnumerable<string> sortedPaths, Action<string> onRemoved)
    {
        (_runKey, _logPath, Choice, Settings) = (runKey, start.Log.Path, choice, start.Settings);
        Series = header.Series;
        // Beside the log (same file system as the pending catalog it becomes), hidden, owner-only: it names every file.
        _partialPath = Path.Combine(LocalCatalogFile.DirectoryFor(_logPath), $".{runKey}-{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(Path.GetDirectoryName(_partialPath)!);
        _partial = new FileStream(_partialPath, NewFileOptions.Create(FileAccess.ReadWrite, 1 << 16, NewFileOptions.Private));
        _writer = new CatalogWriter(_partial, header, leaveOpen: true);
        var (moves, held) = (default(MoveCandidates), default(ContentIndex));
        if (baseListing is not null && start.Settings.Detection == ChangeDetection.Metadata)
        {
            moves = SnapshotRecorder.FindMoveCandidates(sortedPaths, baseListing());
        }
        else if (start.Settings.Detection == ChangeDetection.Content)
        {
            // The series' content (the base's listing) plus what this run stores, so a copy within the run is stored once.
            held = baseListing is null ? new ContentIndex() : SnapshotRecorder.IndexContent(baseListing());
        }
        _recorder = new SnapshotRecorder(_writer, choice.Kind, baseListing?.Invoke(), new ChangeDetector(start.Settings.Detection, moves, held), held, onRemoved);
    }

    /// <summary>The run's kind, base and why.</summary>
    public BaseChoice Choice { get; }

    /// <summary>The settings the run uses.</summary>
    public SnapshotSettings Settings { get; }

    /// <summary>The run's series.</summary>
    public SeriesId Series { get; }

    /// <summary>The recorder's counts so far.</summary>
    public SnapshotRecorder Counts => _recorder;

    /// <summary>Chooses the run's base from the log and opens its listing.</summary>
    /// <param name="start">What the run knows.</param>
    /// <param name="runKey">The run's key.</param>
    /// <param name="startedAt">When it started.</param>
    /// <param name="sortedPaths">The run's gathered paths in ordinal order (metadata mode's move detection reads them once; otherwise unread).</param>
    /// <param name="onRemoved">Told each base path the snapshot no longer has (for the run's file list).</param>
    /// <param name="warn">Told why a base could not be used.</param>
    /// <param name="cancellationToken">Cancels reading the log.</param>
    public static async Task<SnapshotSession> BeginAsync(SnapshotStart start, string runKey, DateTimeOffset startedAt, IEnumerable<string> sortedPaths,
        Action<string> onRemoved, Action<string> warn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var runs = (await start.Log.ListRunsAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Key != runKey).ToList();
        var series = new SeriesId(start.Job, start.Vault.BackendName, start.Vault.Location);
        var choice = BaseSelector.Choose(SnapshotCatalogs.RunsOf(runs), series, start.Settings.Mode, start.Settings.FullEvery, start.ForceFull, start.Clock);
        Func<IEnumerable<CatalogEntry>>? listing = null;
        if (choice.Kind != SnapshotKind.Full)
        {
            try
            {
                var records = runs.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
                await SnapshotCatalogs.EnsureLegacyCatalogAsync(start.Log, choice.Chain[0], records[choice.Chain[0]], cancellationToken).ConfigureAwait(false);
                listing = SnapshotCatalogs.Listing(start.Log.Path, choice.Chain);
            }
            catch (Exception ex) when (ex is CatalogException or IOException or UnauthorizedAccessException)
            {
                warn($"the base snapshot {choice.Base} cannot be used ({ex.Message}); this run is a full snapshot");
                choice = new BaseChoice(SnapshotKind.Full, [], $"the base snapshot {choice.Base} could not be read");
            }
        }
        var header = new CatalogHeader { Run = runKey, Kind = choice.Kind, Base = choice.Base, Series = series, StartedAt = startedAt };
        return new SnapshotSession(runKey, start, choice, header, listing, sortedPaths, onRemoved);
    }

    /// <summary>
    /// Decides one gathered entry (entries must come in increasing ordinal path order; a repeated path is left out).
    /// Null: the entry is to be read into the archive (then say how it went with <see cref="Stored"/> or
    /// <see cref="NotStored"/>); otherwise the facts of an entry whose bytes an earlier archive holds.
    /// </summary>
    public async Task<EntryVerdict> DecideAsync(GatheredEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_lastPath is not null && string.CompareOrdinal(_lastPath, entry.FullPath) >= 0) { return EntryVerdict.Duplicate; }
        _lastPath = entry.FullPath;
        var facts = FactsOf(entry);
        if (facts is null) { return EntryVerdict.ReadWithoutFacts; }
        var sha256 = _recorder.NeedsHash(facts) ? await ContentHash.OfFileAsync(facts.Path, cancellationToken).ConfigureAwait(false) : null;
        if (sha256 is null && _recorder.NeedsHash(facts))
        {
            return new EntryVerdict(facts, Store: true); // unreadable now: reading it into the tar records why
        }
        var decision = _recorder.Decide(facts, sha256);
        return new EntryVerdict(facts, decision is EntryDecision.Store);
    }

    /// <summary>The entry last decided was written into the archive at tar offset <paramref name="offset"/>, as <paramref name="file"/> records.</summary>
    public void Stored(EntryFacts facts, FileRecord file, long offset)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(file);
        var asRead = facts with { Size = file.Size ?? facts.Size, LinkTarget = file.LinkTarget ?? facts.LinkTarget };
        _recorder.RecordStored(asRead, new ContentLocation(_runKey, CatalogEntry.ThisArchive, offset, null, file.Hash));
    }

    /// <summary>The entry last decided could not be read: it is not in this snapshot.</summary>
    public void NotStored(string path) => _recorder.RecordNotStored(path);

    /// <summary>
    /// Ends the catalog (removal marks for the base paths after the last entry), keeps it as the run's pending
    /// catalog (it survives a killed process) and returns it, from its start, for the archive's own copy (the session
    /// keeps owning the stream).
    /// </summary>
    public Stream CompleteForArchive()
    {
        _recorder.Complete();
        _partial.Flush(flushToDisk: true);
        _partial.Dispose();
        var pending = PendingCatalog.Keep(_logPath, _runKey, _partialPath);
        _partial = new FileStream(pending, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return _partial;
    }

    /// <summary>Writes the local catalog beside the log, naming <paramref name="archiveId"/> (and the block in <paramref name="blocks"/>) for the entries this run stored.</summary>
    public string CommitLocal(string archiveId, Compression.BlockMap? blocks)
    {
        _partial.Dispose();
        return PendingCatalog.Finish(_logPath, _runKey, archiveId, blocks);
    }

    /// <summary>The run's <see cref="RunSnapshot"/> as known now.</summary>
    public RunSnapshot Describe() => new()
    {
        Series = Series.Job,
        Kind = SnapshotCatalogs.NameOf(Choice.Kind),
        Base = Choice.Base,
        Reason = Choice.Why,
        ChangeDetection = SnapshotSettings.NameOf(Settings.Detection),
        Entries = _recorder.Unchanged + _recorder.Referenced + _recorder.Stored,
        Unchanged = _recorder.Unchanged,
        Referenced = _recorder.Referenced,
        Stored = _recorder.Stored,
        Removed = _recorder.Removed,
        CatalogEntries = _writer.Entries,
    };

    /// <summary>The facts of a gathered entry from gathering's lstat (null for kinds a snapshot never holds).</summary>
    private static EntryFacts? FactsOf(GatheredEntry entry) =>
        EntryFactsOf.Stat(entry.FullPath, entry.Info, entry.Info.Kind == FileKind.SymbolicLink ? LinkTargetOf(entry.FullPath) : null);

    private static string? LinkTargetOf(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _recorder.Dispose();
        _writer.Dispose();
        _partial.Dispose();
        File.Delete(_partialPath); // gone already once the catalog was completed
    }
}

/// <summary>What the pipeline does with one entry.</summary>
/// <param name="Facts">The entry's facts (null when it is not a kind a snapshot holds, or a repeat).</param>
/// <param name="Store">True: read it into the archive; false: an earlier archive holds its bytes (or it is a repeat).</param>
internal sealed record EntryVerdict(EntryFacts? Facts, bool Store)
{
    /// <summary>A path already visited (the gathered list named it twice): left out.</summary>
    public static readonly EntryVerdict Duplicate = new(null, Store: false);

    /// <summary>Not a kind a snapshot holds (a special file): the tar writer records why it is skipped.</summary>
    public static readonly EntryVerdict ReadWithoutFacts = new(null, Store: true);
}
