namespace AutoGlacier.Gathering;

/// <summary>A path the job names (a file, a glob match, or a path the gather hook added), classified once up front.</summary>
/// <param name="Path">Absolute path, without a trailing separator.</param>
/// <param name="Info">Its lstat metadata at planning time.</param>
/// <param name="Descend">True for a directory stored with everything below it (recursion on).</param>
internal sealed record GatherRoot(string Path, UnixFileInfo Info, bool Descend);

/// <summary>
/// What a run will gather, decided before anything is read: the job's root paths in ordinal order, plus what was
/// skipped or warned about while choosing them. The entries themselves are not held: <see cref="Walk"/> visits them
/// in ordinal path order each time it is enumerated, so a million-file tree costs the memory of one directory level
/// per depth, not of a million entries.
/// </summary>
internal sealed class GatherPlan
{
    private readonly IReadOnlyList<GatherRoot> _roots;

    /// <summary>Creates a plan over <paramref name="roots"/> (any order; a root below a descended root is dropped).</summary>
    public GatherPlan(IEnumerable<GatherRoot> roots, IReadOnlyList<(string Path, string Reason)> skipped, IReadOnlyList<string> warnings)
    {
        _roots = WithoutCoveredRoots(roots.OrderBy(r => r.Path, StringComparer.Ordinal).ToList());
        (Skipped, Warnings) = (skipped, warnings);
    }

    /// <summary>Root paths that will not be stored, with the reason (the walk reports what it skips below them).</summary>
    public IReadOnlyList<(string Path, string Reason)> Skipped { get; }

    /// <summary>Warnings found while choosing the roots (globs that matched nothing, directories not descended).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Every entry to store, in increasing ordinal order of full path, each path once, read from the file system as
    /// the enumeration goes. <paramref name="skip"/> is told each path below a root that cannot be stored, and why.
    /// </summary>
    public IEnumerable<GatheredEntry> Walk(Action<string, string>? skip = null, CancellationToken cancellationToken = default) =>
        TreeWalk.Merge(_roots, skip ?? ((_, _) => { }), cancellationToken);

    /// <summary>A root inside a directory that is itself descended is walked with it: listing it twice would only cost time.</summary>
    private static List<GatherRoot> WithoutCoveredRoots(List<GatherRoot> sorted)
    {
        var descended = sorted.Where(r => r.Descend).Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        return descended.Count == 0 ? sorted : sorted.Where(r => !HasDescendedAncestor(r.Path, descended)).ToList();
    }

    private static bool HasDescendedAncestor(string path, HashSet<string> descended)
    {
        for (var parent = Path.GetDirectoryName(path); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (descended.Contains(parent)) { return true; }
        }
        return false;
    }
}
