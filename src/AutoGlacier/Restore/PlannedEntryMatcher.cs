using AutoGlacier.Snapshots;

namespace AutoGlacier.Restore;

/// <summary>
/// Pairs an archive's tar entries, as they stream past, with the entries a snapshot's plan wants from it: a
/// merge-join over the plan in path order, which is the tar order of archives written by snapshot runs, so memory
/// stays constant. An archive in another order (one written before snapshots) still matches: planned entries passed
/// over are kept aside until their tar entry comes or the archive ends.
/// </summary>
internal sealed class PlannedEntryMatcher : IDisposable
{
    private readonly IEnumerator<PlannedEntry> _planned;
    private readonly Dictionary<string, PlannedEntry> _passed = new(StringComparer.Ordinal);
    private PlannedEntry? _head;

    /// <summary>Starts matching against <paramref name="planned"/> (path order).</summary>
    public PlannedEntryMatcher(IEnumerable<PlannedEntry> planned)
    {
        _planned = planned.GetEnumerator();
        Advance();
    }

    /// <summary>True once every planned entry has been matched: the rest of the archive holds nothing wanted.</summary>
    public bool Complete => _head is null && _passed.Count == 0;

    /// <summary>The planned entry for the tar entry <paramref name="tarName"/>, or null when it is not wanted.</summary>
    public PlannedEntry? Match(string tarName)
    {
        var key = KeyOf(tarName);
        while (_head is { } passed && string.CompareOrdinal(KeyOf(passed.TarName), key) < 0)
        {
            _passed[KeyOf(passed.TarName)] = passed;
            Advance();
        }
        if (_head is { } match && KeyOf(match.TarName) == key)
        {
            Advance();
            return match;
        }
        return _passed.Remove(key, out var earlier) ? earlier : null;
    }

    /// <summary>The planned entries no tar entry matched (call after the archive's last entry), in path order.</summary>
    public IEnumerable<PlannedEntry> Unmatched()
    {
        foreach (var passed in _passed.Values.OrderBy(p => p.Entry.Path, StringComparer.Ordinal)) { yield return passed; }
        _passed.Clear();
        for (; _head is { } rest; Advance()) { yield return rest; }
    }

    // A directory's tar name ends with '/'; without it, ordinal order of tar names is the catalog's path order
    // (a name is its absolute path less the leading '/').
    private static string KeyOf(string tarName) => tarName.TrimEnd('/');

    private void Advance() => _head = _planned.MoveNext() ? _planned.Current : null;

    /// <inheritdoc />
    public void Dispose() => _planned.Dispose();
}
