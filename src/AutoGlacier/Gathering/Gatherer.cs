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
public sealed class Gatherer(ILogger logger, bool recurseDirectories)
{
    /// <summary>Gathers entries. <paramref name="hook"/> may add or remove paths before anything is read.</summary>
    /// <exception cref="ConfigurationException">A directory was listed in Files without recursion.</exception>
    public GatherResult Gather(IEnumerable<string> files, IEnumerable<string> globs, Action<IList<string>>? hook)
    {
        var result = new GatherResult();
        var paths = new List<string>();
        var explicitPaths = new HashSet<string>(StringComparer.Ordinal);
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
            paths.AddRange(matches);
        }
        hook?.Invoke(paths);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Select(p => Path.GetFullPath(GlobPattern.ExpandHome(p))))
        {
            if (seen.Add(path)) { Classify(path, explicitPaths.Contains(path), result, seen); }
        }
        logger.LogInformation("Gathered {Count} entries ({Skipped} skipped)", result.Entries.Count, result.Skipped.Count);
        return result;
    }

    private void Classify(string path, bool isExplicit, GatherResult result, HashSet<string> seen)
    {
        var info = UnixFileInfo.Get(path);
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
            case FileKind.Directory when isExplicit:
                throw new ConfigurationException(
                    $"'{path}' is a directory. Files lists single files; to store a directory with everything below it, " +
                    "turn on recursion (RecurseDirectories in the job, --recursive on the command line) or use a glob such as '" +
                    path.TrimEnd('/') + "/**'.");
            case FileKind.Directory:
                logger.LogDebug("Not descending into directory {Path} matched by a glob (recursion is off)", path);
                break;
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
            Classify(child, isExplicit: false, result, seen);
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
