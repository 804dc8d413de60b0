using Microsoft.Extensions.Logging;

namespace AutoGlacier.Gathering;

/// <summary>
/// The "G" of GTEU: resolves explicit files and glob patterns into the run's <see cref="GatherPlan"/>. Duplicates
/// (same absolute path) are kept once; a glob that matches nothing is a warning; a missing file or a special file
/// (FIFO, socket, device) is skipped with its reason; symlinks are stored as links; a directory listed explicitly is
/// an error unless <paramref name="recurseDirectories"/> is set, and directories matched by a glob are not descended
/// into (the seed's "non-recursive" globs) unless recursion is on. Only the roots are inspected here; what lies below
/// a descended directory is read by <see cref="GatherPlan.Walk"/> as the run goes.
/// </summary>
/// <param name="logger">Where to report warnings.</param>
/// <param name="recurseDirectories">Store directories with everything below them.</param>
internal sealed class Gatherer(ILogger logger, bool recurseDirectories)
{
    /// <summary>Why a FIFO, socket or device is not stored.</summary>
    public const string SpecialFileReason = "is a special file (FIFO, socket or device); only regular files, directories and symlinks are stored";

    /// <summary>Plans the gather. <paramref name="hook"/> may add or remove paths before anything is read.</summary>
    /// <exception cref="ConfigurationException">A directory was listed in Files without recursion.</exception>
    public GatherPlan Gather(IEnumerable<string> files, IEnumerable<string> globs, Action<IList<string>>? hook)
    {
        var (skipped, warnings) = (new List<(string, string)>(), new List<string>());
        var paths = new List<string>();
        var explicitPaths = new HashSet<string>(StringComparer.Ordinal);
        var coveredByRecursiveGlob = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var full = Normalize(file);
            paths.Add(full);
            explicitPaths.Add(full);
        }
        foreach (var glob in globs)
        {
            var matches = GlobPattern.Expand(glob);
            if (matches.Count == 0) { Warn(warnings, $"glob '{glob}' matched nothing"); }
            if (GlobPattern.EndsWithRecursiveWildcard(glob)) { coveredByRecursiveGlob.UnionWith(matches); }
            paths.AddRange(matches);
        }
        hook?.Invoke(paths);
        var roots = new List<GatherRoot>();
        foreach (var path in paths.Select(Normalize).Distinct(StringComparer.Ordinal))
        {
            if (Classify(path, Origin(path, explicitPaths, coveredByRecursiveGlob), skipped, warnings) is { } root) { roots.Add(root); }
        }
        logger.LogInformation("Gathering below {Count} paths ({Skipped} skipped)", roots.Count, skipped.Count);
        return new GatherPlan(roots, skipped, warnings);
    }

    /// <summary>An absolute path without a trailing separator (so "dir/" and "dir" are one root).</summary>
    private static string Normalize(string path) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(GlobPattern.ExpandHome(path)));

    /// <summary>How a path came to be gathered; it decides what a directory means.</summary>
    private enum PathOrigin { Explicit, Glob, RecursiveGlob }

    private static PathOrigin Origin(string path, HashSet<string> explicitPaths, HashSet<string> coveredByRecursiveGlob) =>
        explicitPaths.Contains(path) ? PathOrigin.Explicit
        : coveredByRecursiveGlob.Contains(path) ? PathOrigin.RecursiveGlob
        : PathOrigin.Glob;

    private GatherRoot? Classify(string path, PathOrigin origin, List<(string, string)> skipped, List<string> warnings)
    {
        UnixFileInfo info;
        try
        {
            info = UnixFileInfo.Get(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Skip(skipped, warnings, path, "cannot be inspected: " + ex.Message);
            return null;
        }
        switch (info.Kind)
        {
            case FileKind.Missing:
                Skip(skipped, warnings, path, "does not exist");
                return null;
            case FileKind.Special:
                Skip(skipped, warnings, path, SpecialFileReason);
                return null;
            case FileKind.Directory when recurseDirectories:
                return new GatherRoot(path, info, Descend: true);
            case FileKind.Directory when origin == PathOrigin.Explicit:
                throw new ConfigurationException(
                    $"'{path}' is a directory. Files lists single files; to store a directory with everything below it, " +
                    "turn on recursion (RecurseDirectories in the job, --recursive on the command line) or use a glob such as '" +
                    path.TrimEnd('/') + "/**'.");
            case FileKind.Directory when origin == PathOrigin.Glob:
                Warn(warnings, $"'{path}' is a directory matched by a glob; its contents are not stored (globs are " +
                    "not recursive: end the glob with '/**' or turn on recursion)");
                return null;
            case FileKind.Directory:
                return null; // below a recursive glob its contents are matched by the glob itself
            default:
                return new GatherRoot(path, info, Descend: false);
        }
    }

    private void Skip(List<(string, string)> skipped, List<string> warnings, string path, string reason)
    {
        skipped.Add((path, reason));
        Warn(warnings, $"skipped '{path}': {reason}");
    }

    private void Warn(List<string> warnings, string warning)
    {
        warnings.Add(warning);
        logger.LogWarning("{Warning}", warning);
    }
}
