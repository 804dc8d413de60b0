namespace AutoGlacier.Restore;

/// <summary>
/// Maps archive entry names to paths under the restore directory and refuses anything that would land outside it:
/// absolute names, ".." segments, and paths that pass through a symlink (a hostile archive can first create a link
/// pointing out and then a file "through" it).
/// </summary>
internal sealed class SafeTargetPath
{
    private readonly string _root;

    // Directories under the root already seen (lstat) to be real directories. A restore never turns one into a
    // symlink (a link or file entry refuses to replace a directory; a rename cannot), so each is looked at once, not
    // once per entry below it: that was most of a restore's per-file syscalls.
    private readonly HashSet<string> _realDirectories = new(StringComparer.Ordinal);

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

    /// <summary>
    /// True when a symlink at <paramref name="linkPath"/> with <paramref name="linkTarget"/> points inside the root,
    /// following links already restored (so <c>y -> x/..</c> where <c>x</c> is a link is judged by where it really goes).
    /// </summary>
    public bool LinkStaysInside(string linkPath, string linkTarget)
    {
        var start = Path.IsPathRooted(linkTarget) ? linkTarget : Path.Combine(Path.GetDirectoryName(linkPath)!, linkTarget);
        var resolved = RealPath(start, 0);
        var realRoot = RealPath(_root, 0);
        return resolved is not null && realRoot is not null && IsInside(resolved, realRoot);
    }

    private static bool IsInside(string fullPath, string root) =>
        fullPath == root || fullPath.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Resolves <paramref name="path"/> segment by segment, following symlinks; null for a link loop.</summary>
    private static string? RealPath(string path, int depth)
    {
        const int MaxLinks = 40; // as the kernel's ELOOP limit
        if (depth > MaxLinks) { return null; }
        var full = Path.GetFullPath(path); // only to make it absolute: ".." is handled below, after links are followed
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var segment in path.StartsWith(root, StringComparison.Ordinal)
                     ? path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)
                     : full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".") { continue; }
            if (segment == "..") { current = Path.GetDirectoryName(current) ?? root; continue; }
            var next = Path.Combine(current, segment);
            var target = new FileInfo(next).LinkTarget;
            current = target is null ? next
                : RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1) ?? "";
            if (current.Length == 0) { return null; }
        }
        return current;
    }

    private void EnsureNoSymlinkedParent(string entryName, string[] segments)
    {
        var current = _root;
        foreach (var segment in segments[..^1])
        {
            current = Path.Combine(current, segment);
            if (_realDirectories.Contains(current)) { continue; }
            var info = Gathering.UnixFileInfo.Get(current);
            if (info.Kind == Gathering.FileKind.SymbolicLink)
            {
                throw new UnsafeEntryException($"entry '{entryName}' would be written through the symlink '{current}'");
            }
            if (info.Kind == Gathering.FileKind.Missing) { return; }
            if (info.Kind == Gathering.FileKind.Directory) { _realDirectories.Add(current); }
        }
    }
}

/// <summary>An archive entry that would be written outside the restore directory.</summary>
internal sealed class UnsafeEntryException : AutoGlacierException
{
    /// <inheritdoc />
    public UnsafeEntryException(string message) : base(message) { }
    /// <inheritdoc />
    public UnsafeEntryException(string message, Exception inner) : base(message, inner) { }
    /// <inheritdoc />
    public UnsafeEntryException() { }
}
