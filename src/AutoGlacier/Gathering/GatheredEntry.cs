namespace AutoGlacier.Gathering;

/// <summary>A path chosen for the archive, with its lstat metadata at gather time.</summary>
/// <param name="FullPath">Absolute path.</param>
/// <param name="Info">
/// Metadata read when gathering, including the mtime and ctime in nanoseconds, inode and device that tell an
/// unchanged file from a changed one without reading it. A regular file's tar header takes its metadata from the
/// file when it is opened (<see cref="SourceFile"/>); a directory's or symlink's takes this.
/// </param>
internal sealed record GatheredEntry(string FullPath, UnixFileInfo Info)
{
    /// <summary>The tar entry name: the absolute path without its root, with '/' separators (as GNU tar stores it).</summary>
    public string ArchiveName => ToArchiveName(FullPath);

    /// <summary>Maps an absolute path of this platform to its tar entry name.</summary>
    public static string ToArchiveName(string fullPath) => ToArchiveName(fullPath, OperatingSystem.IsWindows());

    /// <summary>
    /// Maps an absolute path to its tar entry name, by rules that do not depend on the platform running them (so they
    /// are tested on Linux). Unix: the path without its leading '/'. Windows: the drive letter (upper case) becomes
    /// the first directory, <c>C:\Users\me\x.txt</c> → <c>C/Users/me/x.txt</c>; a UNC path goes under <c>UNC</c>,
    /// <c>\\server\share\x.txt</c> → <c>UNC/server/share/x.txt</c>; the <c>\\?\</c> and <c>\\.\</c> long-path
    /// prefixes are dropped first. Either separator is accepted and empty segments are removed, so every name is
    /// relative, uses '/', and restores under the target directory.
    /// </summary>
    public static string ToArchiveName(string fullPath, bool windowsPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        if (!windowsPath)
        {
            // As before: one leading '/' dropped, and a backslash (which restore refuses) made a separator.
            return fullPath[(fullPath.StartsWith('/') ? 1 : 0)..].Replace('\\', '/');
        }

        var path = fullPath.Replace('\\', '/');
        foreach (var prefix in (string[])["//?/UNC/", "//./UNC/"])
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) { return Join("UNC", path[prefix.Length..]); }
        }

        if (path.StartsWith("//?/", StringComparison.Ordinal) || path.StartsWith("//./", StringComparison.Ordinal))
        {
            path = path[4..];
        }
        else if (path.StartsWith("//", StringComparison.Ordinal))
        {
            return Join("UNC", path[2..]);
        }

        return path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])
            ? Join(char.ToUpperInvariant(path[0]).ToString(), path[2..])
            : Join("", path);
    }

    private static string Join(string first, string rest)
    {
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return first.Length == 0 ? string.Join('/', segments) : string.Join('/', [first, .. segments]);
    }
}
