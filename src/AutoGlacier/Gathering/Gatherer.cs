using Microsoft.Extensions.Logging;

namespace AutoGlacier.Gathering;

/// <summary>
/// The "G" of GTEU: resolves explicit files and glob patterns into the list of entries to store. Duplicates (same
/// absolute path) are kept once; a glob that matches nothing is a warning; a missing file or a special file (FIFO,
/// socket, device) is skipped with its reason; symlinks are stored as links; a directory listed explicitly is an
/// error unless <paramref name="recurseDirectories"/> is set, and directories matched by a glob are not descended
/// into (the seed's "non-recursive" globs) unless recursion is on.
/// </summary>
/// <param name="logger">Where to report progress and warnings.</param>
/// <param name="recurseDirectories">Store directories with everything below them.</param>
internal sealed class Gatherer(ILogger logger, bool recurseDirectories)
{
    /// <summary>Gathers entries. <paramref name="hook"/> may add or remove paths before anything is read.</summary>
    /// <exception cref="ConfigurationException">A directory was listed in Files without recursion.</exception>
    public GatherResult Gather(IEnumerable<string> files, IEnumerable<string> globs, Action<IList<string>>? hook)
    {
        var result = new GatherResult();
        var paths = new List<string>();
        var explicitPaths = new HashSet<string>(StringComparer.Ordinal);
        var coveredByRecursiveGlob = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var full = Path.GetFullPath(GlobPattern.ExpandHome(file));
            paths.Add(full);
            explicitPaths.Add(full);
        }
        foreach (var glob in globs)
        {
            var matches = GlobPattern.Expand(glob);
            if (matches.Count == 0) { Warn(result, $"glob '{glob}' matched nothing"); }
            if (GlobPattern.EndsWithRecursiveWildcard(glob)) { coveredByRecursiveGlob.UnionWith(matches); }
            paths.AddRange(matches);
        }
        hook?.Invoke(paths);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Select(p => Path.GetFullPath(GlobPattern.ExpandHome(p))))
        {
            if (seen.Add(path)) { Classify(path, Origin(path, explicitPaths, coveredByRecursiveGlob), result, seen); }
        }
        logger.LogInformation("Gathered {Count} entries ({Skipped} skipped)", result.Entries.Count, result.Skipped.Count);
        return result;
    }

    /// <summary>How a path came to be gathered; it decides what a directory means.</summary>
    private enum PathOrigin { Explicit, Glob, RecursiveGlob, Tree }

    private static PathOrigin Origin(string path, HashSet<string> explicitPaths, HashSet<string> coveredByRecursiveGlob) =>
        explicitPaths.Contains(path) ? PathOrigin.Explicit
        : coveredByRecursiveGlob.Contains(path) ? PathOrigin.RecursiveGlob
        : PathOrigin.Glob;

    private void Classify(string path, PathOrigin origin, GatherResult result, HashSet<string> seen)
    {
        UnixFileInfo info;
        try
        {
            info = UnixFileInfo.Get(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Skip(result, path, "cannot be inspected: " + ex.Message);
            return;
        }
        switch (info.Kind)
        {
            case FileKind.Missing:
                Skip(result, path, "does not exist");
                break;
            case FileKind.Special:
                Skip(result, path, "is a special file (FIFO, socket or device); only regular files, directories and symlinks are stored");
                break;
            case FileKind.Directory when recurseDirectories:
                AddTree(path, info, result, seen);
                break;
            case FileKind.Directory when origin == PathOrigin.Explicit:
                throw new ConfigurationException(
                    $"'{path}' is a directory. Files lists single files; to store a directory with everything below it, " +
                    "turn on recursion (RecurseDirectories in the job, --recursive on the command line) or use a glob such as '" +
                    path.TrimEnd('/') + "/**'.");
            case FileKind.Directory when origin == PathOrigin.Glob:
                Warn(result, $"'{path}' is a directory matched by a glob; its contents are not stored (globs are " +
                    "not recursive: end the glob with '/**' or turn on recursion)");
                break;
            case FileKind.Directory:
                break; // below a recursive glob its contents are matched by the glob itself
            default:
                result.Entries.Add(new GatheredEntry(path, info));
                break;
        }
    }

    private void AddTree(string directory, UnixFileInfo info, GatherResult result, HashSet<string> seen)
    {
        result.Entries.Add(new GatheredEntry(directory, info));
        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            Skip(result, directory, "cannot list its contents: " + ex.Message);
            return;
        }
        foreach (var child in children.Where(seen.Add))
        {
            Classify(child, PathOrigin.Tree, result, seen);
        }
    }

    private void Skip(GatherResult result, string path, string reason)
    {
        result.Skipped.Add((path, reason));
        Warn(result, $"skipped '{path}': {reason}");
    }

    private void Warn(GatherResult result, string warning)
    {
        result.Warnings.Add(warning);
        logger.LogWarning("{Warning}", warning);
    }
}
