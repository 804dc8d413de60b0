namespace AutoGlacier.Restore;

/// <summary>
/// Maps archive entry names to paths under the restore directory and refuses anything that would land outside it:
/// absolute names, ".." segments, and paths that pass through a symlink (a hostile archive can first create a link
/// pointing out and then a file "through" it).
/// </summary>
public sealed class SafeTargetPath
{
    private readonly string _root;

    /// <summary>Creates a mapper for <paramref name="root"/> (made absolute).</summary>
    public SafeTargetPath(string root) => _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    /// <summary>The restore directory.</summary>
    public string Root => _root;

    /// <summary>Returns the absolute target path for an entry name.</summary>
    /// <exception cref="UnsafeEntryException">The name would escape the restore directory.</exception>
    public string Resolve(string entryName)
    {
        if (entryName.StartsWith('/') || entryName.StartsWith('\\') || Path.IsPathRooted(entryName))
        {
            throw new UnsafeEntryException($"entry '{entryName}' has an absolute path");
        }
        var segments = entryName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is ".." or "." || s.Contains('\\', StringComparison.Ordinal)))
        {
            throw new UnsafeEntryException($"entry '{entryName}' contains '..', '.' or a backslash");
        }
        var target = Path.Combine([_root, .. segments]);
        EnsureNoSymlinkedParent(entryName, segments);
        return target;
    }

    /// <summary>True when a symlink at <paramref name="linkPath"/> with <paramref name="linkTarget"/> points inside the root.</summary>
    public bool LinkStaysInside(string linkPath, string linkTarget)
    {
        var resolved = Path.GetFullPath(Path.IsPathRooted(linkTarget)
            ? linkTarget
            : Path.Combine(Path.GetDirectoryName(linkPath)!, linkTarget));
        return IsInside(resolved);
    }

    private bool IsInside(string fullPath) =>
        fullPath == _root || fullPath.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private void EnsureNoSymlinkedParent(string entryName, string[] segments)
    {
        var current = _root;
        foreach (var segment in segments[..^1])
        {
            current = Path.Combine(current, segment);
            var info = Gathering.UnixFileInfo.Get(current);
            if (info.Kind == Gathering.FileKind.SymbolicLink)
            {
                throw new UnsafeEntryException($"entry '{entryName}' would be written through the symlink '{current}'");
            }
            if (info.Kind == Gathering.FileKind.Missing) { return; }
        }
    }
}

/// <summary>An archive entry that would be written outside the restore directory.</summary>
public sealed class UnsafeEntryException : AutoGlacierException
{
    /// <inheritdoc />
    public UnsafeEntryException(string message) : base(message) { }
    /// <inheritdoc />
    public UnsafeEntryException(string message, Exception inner) : base(message, inner) { }
    /// <inheritdoc />
    public UnsafeEntryException() { }
}
