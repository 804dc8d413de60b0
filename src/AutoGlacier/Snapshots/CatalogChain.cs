namespace AutoGlacier.Snapshots;

/// <summary>
/// A snapshot's complete listing from its chain of catalogs (the full first, the snapshot's own last): a streaming
/// k-way merge by path in which the newest catalog that names a path decides, and a removal mark drops it. Memory
/// holds one current line per catalog, whatever the number of entries.
/// </summary>
internal static class CatalogChain
{
    /// <summary>Merges <paramref name="oldestFirst"/> (each sorted by ordinal path) into the snapshot's listing, without removal marks.</summary>
    public static IEnumerable<CatalogEntry> Resolve(IReadOnlyList<IEnumerable<CatalogEntry>> oldestFirst)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        return oldestFirst.Count == 1 ? oldestFirst[0].Where(e => !e.IsRemoval) : Merge(oldestFirst);
    }

    private static IEnumerable<CatalogEntry> Merge(IReadOnlyList<IEnumerable<CatalogEntry>> oldestFirst)
    {
        var cursors = oldestFirst.Select(c => c.GetEnumerator()).ToList();
        try
        {
            // Priority: path first; for the same path the newest catalog (highest index) comes out first.
            var heads = new PriorityQueue<int, (string Path, int Newest)>(Comparer<(string Path, int Newest)>.Create(
                (a, b) => string.CompareOrdinal(a.Path, b.Path) is var byPath and not 0 ? byPath : b.Newest.CompareTo(a.Newest)));
            for (var i = 0; i < cursors.Count; i++) { Advance(cursors, i, heads); }
            while (heads.TryDequeue(out var newest, out var key))
            {
                var winner = cursors[newest].Current;
                Advance(cursors, newest, heads);
                while (heads.TryPeek(out var older, out var next) && next.Path == key.Path)
                {
                    heads.Dequeue();
                    Advance(cursors, older, heads);
                }
                if (!winner.IsRemoval) { yield return winner; }
            }
        }
        finally
        {
            cursors.ForEach(c => c.Dispose());
        }
    }

    private static void Advance(List<IEnumerator<CatalogEntry>> cursors, int index, PriorityQueue<int, (string, int)> heads)
    {
        if (cursors[index].MoveNext()) { heads.Enqueue(index, (cursors[index].Current.Path, index)); }
    }
}

/// <summary>
/// The merge-join of a run's entries, visited in increasing ordinal path order, with its base snapshot's listing:
/// <see cref="Seek"/> returns the base entry of a path and reports every base entry passed over as removed.
/// </summary>
/// <param name="baseListing">The base snapshot's complete listing, sorted by ordinal path.</param>
/// <param name="onRemoved">Called for each base entry whose path the run does not have, in path order.</param>
internal sealed class BaseCursor(IEnumerable<CatalogEntry> baseListing, Action<CatalogEntry> onRemoved) : IDisposable
{
    private readonly IEnumerator<CatalogEntry> _base = baseListing.GetEnumerator();
    private CatalogEntry? _head;
    private bool _started, _ended;
    private string? _lastPath;

    /// <summary>The base entry at <paramref name="path"/>, or null; paths must be sought in increasing order.</summary>
    /// <exception cref="InvalidOperationException">A path not after the previous one.</exception>
    public CatalogEntry? Seek(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_lastPath is not null && string.CompareOrdinal(_lastPath, path) >= 0)
        {
            throw new InvalidOperationException($"Entries must be visited in increasing path order: '{path}' after '{_lastPath}'.");
        }
        _lastPath = path;
        while (Head() is { } head && string.CompareOrdinal(head.Path, path) < 0)
        {
            onRemoved(head);
            Next();
        }
        if (Head() is { } match && match.Path == path)
        {
            Next();
            return match;
        }
        return null;
    }

    /// <summary>Reports the base entries after the last sought path as removed.</summary>
    public void Finish()
    {
        while (Head() is { } head)
        {
            onRemoved(head);
            Next();
        }
    }

    private CatalogEntry? Head()
    {
        if (!_started) { Next(); }
        return _head;
    }

    private void Next()
    {
        _started = true;
        _head = !_ended && _base.MoveNext() ? _base.Current : null;
        _ended = _head is null;
    }

    /// <inheritdoc />
    public void Dispose() => _base.Dispose();
}
