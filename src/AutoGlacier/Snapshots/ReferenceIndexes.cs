using System.Globalization;

namespace AutoGlacier.Snapshots;

/// <summary>
/// Metadata mode: the base's regular files whose path is gone in this run, by device + inode, so a file moved within
/// the tree is referenced instead of stored again. Holds only removed entries, so it grows with change.
/// </summary>
internal sealed class MoveCandidates
{
    private readonly Dictionary<(ulong Device, ulong Inode), CatalogEntry> _byInode = [];

    /// <summary>Number of candidates held.</summary>
    public int Count => _byInode.Count;

    /// <summary>Adds a base entry that is no longer at its path (entries without inode, device or location are ignored).</summary>
    public void Add(CatalogEntry removed)
    {
        ArgumentNullException.ThrowIfNull(removed);
        if (removed is { Type: EntryType.File, Device: { } device, Inode: { } inode, Location: not null, Sha256: not null })
        {
            _byInode[(device, inode)] = removed;
        }
    }

    /// <summary>The removed base file that <paramref name="now"/> is, moved: same device, inode, size and mtime.</summary>
    public CatalogEntry? Find(EntryFacts now)
    {
        ArgumentNullException.ThrowIfNull(now);
        return now is { Type: EntryType.File, Device: { } device, Inode: { } inode }
            && _byInode.TryGetValue((device, inode), out var candidate)
            && candidate.Size == now.Size && candidate.MtimeNs == now.MtimeNs
            ? candidate : null;
    }
}

/// <summary>
/// Content mode: where each content already held in the series is, by SHA-256, so a renamed or copied file is
/// referenced. Memory per distinct content: a 32-byte key, a small value (run and archive are interned) and the
/// path its bytes are stored under (the catalog line's own string, kept alive: a restore finds the bytes by that
/// tar name), about 80 bytes plus the path: ~250 MB for a million distinct files of 80-character paths, only in
/// content mode.
/// </summary>
internal sealed class ContentIndex
{
    private readonly Dictionary<Sha256Key, (int Archive, long? Offset, long? Block, long? BlockStart, string Name, bool IsTarName)> _bySha = [];
    private readonly List<(string Run, string Archive)> _archives = [];
    private readonly Dictionary<string, int> _archiveIndex = new(StringComparer.Ordinal);

    /// <summary>Number of distinct contents held.</summary>
    public int Count => _bySha.Count;

    /// <summary>Adds an entry's content (non-files and entries without a location or hash are ignored; the first location wins).</summary>
    public void Add(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry is { Type: EntryType.File, Sha256: { } sha, Location: { } location } && Sha256Key.TryParse(sha, out var key))
        {
            // The path string the entry already holds, not a new tar name: the name is made only when referenced.
            var (name, isTarName) = entry.Source is { } source ? (source, true) : (entry.Path, false);
            _bySha.TryAdd(key, (Intern(location.Run, location.Archive), location.Offset, location.Block, location.BlockStart, name, isTarName));
        }
    }

    /// <summary>Where content with this SHA-256 is held, or null.</summary>
    public ContentLocation? Find(string sha256)
    {
        if (!Sha256Key.TryParse(sha256, out var key) || !_bySha.TryGetValue(key, out var at)) { return null; }
        var (run, archive) = _archives[at.Archive];
        var tarName = at.IsTarName ? at.Name : Gathering.GatheredEntry.ToArchiveName(at.Name);
        return new ContentLocation(run, archive, at.Offset, at.Block, sha256.ToLowerInvariant(), tarName) { BlockStart = at.BlockStart };
    }

    private int Intern(string run, string archive)
    {
        if (!_archiveIndex.TryGetValue(run, out var index))
        {
            index = _archives.Count;
            _archives.Add((run, archive));
            _archiveIndex[run] = index;
        }
        return index;
    }

    /// <summary>A SHA-256 as four machine words: a quarter of the memory of its hex string, and no string per entry.</summary>
    private readonly record struct Sha256Key(ulong A, ulong B, ulong C, ulong D)
    {
        public static bool TryParse(string hex, out Sha256Key key)
        {
            key = default;
            if (hex.Length != 64) { return false; }
            Span<ulong> words = stackalloc ulong[4];
            for (var i = 0; i < 4; i++)
            {
                if (!ulong.TryParse(hex.AsSpan(i * 16, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out words[i])) { return false; }
            }
            key = new Sha256Key(words[0], words[1], words[2], words[3]);
            return true;
        }
    }
}
