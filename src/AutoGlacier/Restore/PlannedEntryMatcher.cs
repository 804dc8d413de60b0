using AutoGlacier.Snapshots;

namespace AutoGlacier.Restore;

/// <summary>
/// Pairs an archive's tar entries, as they stream past, with the entries a snapshot's plan wants from it. Entries
/// stored under their own name are merge-joined in path order, which is the tar order of archives written by
/// snapshot runs, so memory stays constant. Entries whose bytes are under another tar name (a file moved or copied
/// within the tree: several may share one tar entry) are given up front (the plan collects them while planning; they are few),
/// and entries passed over in an archive of another order (one written before snapshots) are kept aside, until
/// their tar entry comes or the archive ends.
/// </summary>
internal sealed class PlannedEntryMatcher : IDisposable
{
    private readonly IEnumerator<PlannedEntry> _inOrder;
    private readonly Dictionary<string, List<PlannedEntry>> _waiting = new(StringComparer.Ordinal);
    private PlannedEntry? _head;

    /// <summary>Starts matching against <paramref name="planned"/> (path order; enumerated twice).</summary>
    public PlannedEntryMatcher(Func<IEnumerable<PlannedEntry>> planned)
        : this(planned().Where(e => e.StoredElsewhere), planned().Where(e => !e.StoredElsewhere))
    {
    }

    /// <summary>
    /// Starts matching against <paramref name="storedElsewhere"/> (entries whose bytes are under another tar name,
    /// read now) and <paramref name="inOrder"/> (the others, in path order, streamed as the tar entries come).
    /// </summary>
    public PlannedEntryMatcher(IEnumerable<PlannedEntry> storedElsewhere, IEnumerable<PlannedEntry> inOrder)
    {
        foreach (var entry in storedElsewhere) { Keep(entry); }
        _inOrder = inOrder.GetEnumerator();
        Advance();
    }

    /// <summary>True once every planned entry has been matched: the rest of the archive holds nothing wanted.</summary>
    public bool Complete => _head is null && _waiting.Count == 0;

    /// <summary>The planned entries whose bytes are the tar entry <paramref name="tarName"/> (empty when it is not wanted).</summary>
    public IReadOnlyList<PlannedEntry> Match(string tarName)
    {
        var key = KeyOf(tarName);
        while (_head is { } passed && string.CompareOrdinal(KeyOf(passed.TarName), key) < 0)
        {
            Keep(passed);
            Advance();
        }
        _waiting.Remove(key, out var matches);
        while (_head is { } match && KeyOf(match.TarName) == key)
        {
            (matches ??= []).Add(match);
            Advance();
        }
        return matches ?? (IReadOnlyList<PlannedEntry>)[];
    }

    /// <summary>The planned entries no tar entry matched (call after the archive's last entry), in path order.</summary>
    public IEnumerable<PlannedEntry> Unmatched()
    {
        foreach (var kept in _waiting.Values.SelectMany(k => k).OrderBy(p => p.Entry.Path, StringComparer.Ordinal)) { yield return kept; }
        _waiting.Clear();
        for (; _head is { } rest; Advance()) { yield return rest; }
    }

    // A directory's tar name ends with '/'; without it, ordinal order of tar names is the catalog's path order
    // (a name is its absolute path less the leading '/').
    private static string KeyOf(string tarName) => tarName.TrimEnd('/');

    private void Keep(PlannedEntry entry)
    {
        var key = KeyOf(entry.TarName);
        if (!_waiting.TryGetValue(key, out var list)) { _waiting[key] = list = []; }
        list.Add(entry);
    }

    private void Advance() => _head = _inOrder.MoveNext() ? _inOrder.Current : null;

    /// <inheritdoc />
    public void Dispose() => _inOrder.Dispose();
}
