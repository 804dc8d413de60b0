namespace AutoGlacier.Snapshots;

/// <summary>
/// The per-entry decision point of a snapshot run. Entries are visited in increasing ordinal path order; for each
/// the recorder finds the base entry (a merge-join, no dictionary of the base), asks the <see cref="ChangeDetector"/>,
/// and writes the run's catalog: a full lists every entry, an incremental or differential only what was stored or
/// referenced anew, and a removal mark for each base path the run no longer has.
/// </summary>
internal sealed class SnapshotRecorder : IDisposable
{
    private readonly CatalogWriter _catalog;
    private readonly SnapshotKind _kind;
    private readonly ChangeDetector _detector;
    private readonly ContentIndex? _held;
    private readonly BaseCursor? _base;
    private readonly Action<string>? _onRemoved;
    private CatalogEntry? _previous;

    /// <summary>Starts recording into <paramref name="catalog"/>.</summary>
    /// <param name="catalog">The run's catalog (its header already says the kind and base).</param>
    /// <param name="kind">The kind of snapshot this run makes.</param>
    /// <param name="baseListing">The base snapshot's complete listing (ignored for a full).</param>
    /// <param name="detector">Change detection for incremental and differential runs.</param>
    /// <param name="held">Content mode: the content index, which learns what this run stores (a copy within the run is stored once).</param>
    /// <param name="onRemoved">Told each base path this snapshot no longer has, as its removal mark is written.</param>
    public SnapshotRecorder(CatalogWriter catalog, SnapshotKind kind, IEnumerable<CatalogEntry>? baseListing, ChangeDetector detector, ContentIndex? held = null,
        Action<string>? onRemoved = null)
    {
        (_catalog, _kind, _detector, _held, _onRemoved) = (catalog, kind, detector, held, onRemoved);
        if (kind != SnapshotKind.Full)
        {
            ArgumentNullException.ThrowIfNull(baseListing);
            _base = new BaseCursor(baseListing, removed => MarkRemoved(removed.Path));
        }
    }

    /// <summary>Entries left where the base has them.</summary>
    public long Unchanged { get; private set; }

    /// <summary>Entries listed anew with their content referenced where it is already held.</summary>
    public long Referenced { get; private set; }

    /// <summary>Entries written into this run's archive.</summary>
    public long Stored { get; private set; }

    /// <summary>Base paths this snapshot no longer has.</summary>
    public long Removed { get; private set; }

    /// <summary>True when <see cref="Decide"/> needs the SHA-256 of this entry's content now (content mode).</summary>
    public bool NeedsHash(EntryFacts now) => _kind != SnapshotKind.Full && _detector.NeedsHash(now);

    /// <summary>Decides the entry; a reference is recorded at once, a store when <see cref="RecordStored"/> says where.</summary>
    public EntryDecision Decide(EntryFacts now, string? sha256 = null)
    {
        ArgumentNullException.ThrowIfNull(now);
        _previous = _base?.Seek(now.Path);
        var decision = _kind == SnapshotKind.Full ? new EntryDecision.Store(ChangeReason.New) : _detector.Decide(now, _previous, sha256);
        switch (decision)
        {
            case EntryDecision.Unchanged:
                Unchanged++;
                break;
            case EntryDecision.Reference reference:
                _catalog.Add(CatalogEntry.From(now, reference.Bytes));
                Referenced++;
                break;
        }
        return decision;
    }

    /// <summary>Records that the entry last decided was stored at <paramref name="at"/> (as it was when read: <paramref name="stored"/>).</summary>
    public void RecordStored(EntryFacts stored, ContentLocation at)
    {
        var entry = CatalogEntry.From(stored, at);
        _catalog.Add(entry);
        _held?.Add(entry);
        Stored++;
    }

    /// <summary>The entry last decided could not be stored (vanished, unreadable): it is not in this snapshot.</summary>
    public void RecordNotStored(string path)
    {
        if (_previous is not null) { MarkRemoved(path); }
    }

    /// <summary>Marks the base paths after the last entry as removed and completes the catalog.</summary>
    public void Complete()
    {
        _base?.Finish();
        _catalog.Complete();
    }

    private void MarkRemoved(string path)
    {
        _catalog.Add(CatalogEntry.RemovalOf(path));
        Removed++;
        _onRemoved?.Invoke(path);
    }

    /// <summary>
    /// Metadata mode's move detection needs the base files whose path is gone before the tar loop meets their new
    /// path: one streaming pass of the run's sorted paths against the base listing, holding only the removed files.
    /// </summary>
    public static MoveCandidates FindMoveCandidates(IEnumerable<string> sortedPathsNow, IEnumerable<CatalogEntry> baseListing)
    {
        ArgumentNullException.ThrowIfNull(sortedPathsNow);
        var candidates = new MoveCandidates();
        using var cursor = new BaseCursor(baseListing, candidates.Add);
        foreach (var path in sortedPathsNow) { cursor.Seek(path); }
        cursor.Finish();
        return candidates;
    }

    /// <summary>Content mode: the index of every content in the base listing.</summary>
    public static ContentIndex IndexContent(IEnumerable<CatalogEntry> baseListing)
    {
        ArgumentNullException.ThrowIfNull(baseListing);
        var index = new ContentIndex();
        foreach (var entry in baseListing) { index.Add(entry); }
        return index;
    }

    /// <inheritdoc />
    public void Dispose() => _base?.Dispose();
}
