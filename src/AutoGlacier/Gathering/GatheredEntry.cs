namespace AutoGlacier.Gathering;

/// <summary>A path chosen for the archive, with its lstat metadata at gather time.</summary>
/// <param name="FullPath">Absolute path.</param>
/// <param name="Info">
/// Metadata read when gathering (re-read just before the file is stored), including the mtime and ctime in
/// nanoseconds, inode and device that tell an unchanged file from a changed one without reading it.
/// </param>
public sealed record GatheredEntry(string FullPath, UnixFileInfo Info)
{
    /// <summary>The tar entry name: the absolute path without its root, with '/' separators (as GNU tar stores it).</summary>
    public string ArchiveName => ToArchiveName(FullPath);

    /// <summary>Maps an absolute path to its tar entry name.</summary>
    public static string ToArchiveName(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "";
        var drive = root.TrimEnd('\\', '/').TrimEnd(':'); // "C:\" becomes "C/…" on Windows; "" on Unix.
        var rest = fullPath[root.Length..].Replace('\\', '/');
        return drive.Length > 0 ? drive + "/" + rest : rest;
    }
}

/// <summary>The outcome of gathering: what to store, what was skipped and why, and warnings.</summary>
public sealed class GatherResult
{
    /// <summary>Entries to store, in archive order.</summary>
    public List<GatheredEntry> Entries { get; } = [];

    /// <summary>Paths that will not be stored, with the reason (recorded in the log as skipped).</summary>
    public List<(string Path, string Reason)> Skipped { get; } = [];

    /// <summary>Warnings for the user (globs that matched nothing, skipped files).</summary>
    public List<string> Warnings { get; } = [];
}
