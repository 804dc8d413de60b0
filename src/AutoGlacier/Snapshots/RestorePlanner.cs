using AutoGlacier.Gathering;

namespace AutoGlacier.Snapshots;

/// <summary>One archive a restore needs: which run holds it, and how many of the wanted entries and bytes it holds.</summary>
/// <param name="Run">The run whose archive it is.</param>
/// <param name="Archive">The archive id.</param>
/// <param name="Entries">Wanted entries in it (files, directories, symlinks).</param>
/// <param name="Files">Wanted regular files in it.</param>
/// <param name="Bytes">Content bytes of those files.</param>
internal sealed record ArchiveNeed(string Run, string Archive, long Entries, long Files, long Bytes);

/// <summary>An entry to extract from an archive.</summary>
/// <param name="Entry">Its catalog entry (metadata to restore, SHA-256 to verify; <see cref="CatalogEntry.Path"/> is where it goes).</param>
/// <param name="TarName">The tar entry name that holds it in the archive (for a moved or copied file, the name it was first stored under).</param>
internal sealed record PlannedEntry(CatalogEntry Entry, string TarName)
{
    /// <summary>
    /// The tar header's offset in the archive's tar stream, when recorded (runs logged before catalogs have none):
    /// where known, it identifies the tar entry; several planned entries may share one (copies).
    /// </summary>
    public long? Offset => Entry.Offset;

    /// <summary>True when its bytes are under another entry's tar name (a file moved or copied within the tree).</summary>
    public bool StoredElsewhere => TarName != RestorePlanner.TarNameOf(Entry);

    /// <summary>The planned entry for <paramref name="entry"/>: its bytes are under its source's tar name, else its own.</summary>
    public static PlannedEntry Of(CatalogEntry entry) => new(entry, entry.Source ?? RestorePlanner.TarNameOf(entry));
}

/// <summary>
/// What a restore of a snapshot must retrieve: only the archives holding a wanted entry, with counts and bytes
/// (to print before anything is requested), and per archive the entries to extract, streamed again from the listing
/// so a plan of a million files holds only its per-archive totals.
/// </summary>
internal sealed class RestorePlan
{
    private readonly Func<IEnumerable<CatalogEntry>> _listing;
    private readonly IReadOnlyList<string> _includes;
    private readonly IReadOnlyDictionary<(string Run, string Archive), List<PlannedEntry>> _storedElsewhere;

    internal RestorePlan(Func<IEnumerable<CatalogEntry>> listing, IReadOnlyList<string> includes, IReadOnlyList<ArchiveNeed> archives,
        IReadOnlyDictionary<(string Run, string Archive), List<PlannedEntry>> storedElsewhere)
    {
        (_listing, _includes, Archives, _storedElsewhere) = (listing, includes, archives, storedElsewhere);
    }

    /// <summary>The archives to retrieve, oldest run first.</summary>
    public IReadOnlyList<ArchiveNeed> Archives { get; }

    /// <summary>Wanted entries in all archives.</summary>
    public long Entries => Archives.Sum(a => a.Entries);

    /// <summary>Content bytes to restore.</summary>
    public long Bytes => Archives.Sum(a => a.Bytes);

    /// <summary>
    /// The wanted entries held by <paramref name="archive"/>, in path order, which is their tar order in archives
    /// written by snapshot runs (their tar loop visits paths in that order).
    /// </summary>
    public IEnumerable<PlannedEntry> EntriesIn(ArchiveNeed archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        return RestorePlanner.Wanted(_listing(), _includes)
            .Where(e => e.Run == archive.Run && e.Archive == archive.Archive)
            .Select(PlannedEntry.Of);
    }

    /// <summary>
    /// The wanted entries of <paramref name="archive"/> whose bytes are under another tar name (moved or copied files),
    /// collected while planning: a tar entry may come before the path it is restored to, so they must be known
    /// first, and this spares a reader another pass over the listing.
    /// </summary>
    public IReadOnlyList<PlannedEntry> StoredElsewhereIn(ArchiveNeed archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        return _storedElsewhere.GetValueOrDefault((archive.Run, archive.Archive)) ?? [];
    }

    /// <summary>The other wanted entries of <paramref name="archive"/>: stored under their own name, in path order.</summary>
    public IEnumerable<PlannedEntry> StoredUnderOwnNameIn(ArchiveNeed archive) => EntriesIn(archive).Where(e => !e.StoredElsewhere);
}

/// <summary>Plans the restore of a snapshot from its complete listing.</summary>
internal static class RestorePlanner
{
    /// <summary>Plans a restore of the entries of <paramref name="listing"/> matching any of <paramref name="includes"/> (all when none).</summary>
    /// <param name="listing">Opens the snapshot's complete listing (called once here and once per archive by <see cref="RestorePlan.EntriesIn"/>).</param>
    /// <param name="includes">--include globs (<see cref="GlobPathMatcher"/>).</param>
    /// <exception cref="CatalogException">An entry of the listing does not say which archive holds it.</exception>
    public static RestorePlan Plan(Func<IEnumerable<CatalogEntry>> listing, IReadOnlyList<string> includes)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(includes);
        var totals = new Dictionary<(string Run, string Archive), (long Entries, long Files, long Bytes)>();
        var elsewhere = new Dictionary<(string Run, string Archive), List<PlannedEntry>>();
        foreach (var entry in Wanted(listing(), includes))
        {
            if (entry.Run is not { } run || entry.Archive is not { } archive)
            {
                throw new CatalogException($"The snapshot's catalog does not say which archive holds '{entry.Path}': it is damaged; restore from the archive with --archive.");
            }
            var (entries, files, bytes) = totals.GetValueOrDefault((run, archive));
            var isFile = entry.Type == EntryType.File;
            totals[(run, archive)] = (entries + 1, files + (isFile ? 1 : 0), bytes + (isFile ? entry.Size ?? 0 : 0));
            if (entry.Source is not null && PlannedEntry.Of(entry) is { StoredElsewhere: true } moved)
            {
                if (!elsewhere.TryGetValue((run, archive), out var list)) { elsewhere[(run, archive)] = list = []; }
                list.Add(moved);
            }
        }
        var archives = totals.OrderBy(t => t.Key.Run, StringComparer.Ordinal)
            .Select(t => new ArchiveNeed(t.Key.Run, t.Key.Archive, t.Value.Entries, t.Value.Files, t.Value.Bytes)).ToList();
        return new RestorePlan(listing, includes, archives, elsewhere);
    }

    /// <summary>The tar entry name of a catalog entry (directories end with '/', as the tar writer names them).</summary>
    public static string TarNameOf(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var name = GatheredEntry.ToArchiveName(entry.Path);
        return entry.Type == EntryType.Directory ? name + "/" : name;
    }

    internal static IEnumerable<CatalogEntry> Wanted(IEnumerable<CatalogEntry> listing, IReadOnlyList<string> includes) =>
        listing.Where(e => !e.IsRemoval && (includes.Count == 0 || includes.Any(glob => GlobPathMatcher.Matches(glob, e.Path))));
}
