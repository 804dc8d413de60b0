using System.Text.Json.Serialization;

namespace AutoGlacier.Snapshots;

/// <summary>The kinds of entry a snapshot holds (special files are never stored).</summary>
internal enum EntryType
{
    /// <summary>A regular file: the only kind with content bytes.</summary>
    [JsonStringEnumMemberName("file")] File,
    /// <summary>A directory (a tar header only).</summary>
    [JsonStringEnumMemberName("directory")] Directory,
    /// <summary>A symbolic link, stored as a link (a tar header only).</summary>
    [JsonStringEnumMemberName("symlink")] Symlink,
}

/// <summary>
/// What a backup knows about one entry now, from lstat: the input of change detection. Kept apart from the
/// gatherer's own record so change detection does not move when gathering does. Nulls mean "not known on this
/// platform" (or, for a base entry, "not recorded") and are never counted as a change.
/// </summary>
/// <param name="Path">Absolute path.</param>
/// <param name="Type">Entry kind.</param>
/// <param name="Size">Bytes (regular files; 0 otherwise).</param>
/// <param name="MtimeNs">Last modification, nanoseconds since the Unix epoch.</param>
/// <param name="CtimeNs">Last status change, nanoseconds since the Unix epoch.</param>
/// <param name="Inode">Inode number.</param>
/// <param name="Device">Device id of the file system holding it.</param>
/// <param name="Mode">Permission bits including setuid/setgid/sticky.</param>
/// <param name="Uid">Owner user id.</param>
/// <param name="Gid">Owner group id.</param>
/// <param name="LinkTarget">Symlink target (symlinks only).</param>
internal sealed record EntryFacts(
    string Path,
    EntryType Type,
    long Size,
    long MtimeNs,
    long? CtimeNs = null,
    ulong? Inode = null,
    ulong? Device = null,
    int Mode = 0,
    int? Uid = null,
    int? Gid = null,
    string? LinkTarget = null);

/// <summary>Builds <see cref="EntryFacts"/> from what gathering read with lstat (the one place that knows both shapes).</summary>
internal static class EntryFactsOf
{
    /// <summary>The facts of <paramref name="path"/> from <paramref name="info"/>; null for kinds a snapshot never holds (missing, special).</summary>
    /// <param name="path">Absolute path.</param>
    /// <param name="info">Its lstat metadata.</param>
    /// <param name="linkTarget">The symlink's target (symlinks only).</param>
    public static EntryFacts? Stat(string path, Gathering.UnixFileInfo info, string? linkTarget = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        EntryType? type = info.Kind switch
        {
            Gathering.FileKind.RegularFile => EntryType.File,
            Gathering.FileKind.Directory => EntryType.Directory,
            Gathering.FileKind.SymbolicLink => EntryType.Symlink,
            _ => null,
        };
        if (type is not { } kind) { return null; }
        // Platforms without lstat give 0 for what they do not know: unknown is not a change, so 0 becomes null.
        var mtime = info.ModifiedUnixNs != 0 ? info.ModifiedUnixNs : (info.ModifiedUtc - DateTimeOffset.UnixEpoch).Ticks * 100;
        return new EntryFacts(path, kind, kind == EntryType.File ? info.Size : 0, mtime,
            info.ChangedUnixNs == 0 ? null : info.ChangedUnixNs,
            info.Inode == 0 ? null : info.Inode,
            info.Device == 0 ? null : info.Device,
            info.Mode, info.Uid, info.Gid, kind == EntryType.Symlink ? linkTarget : null);
    }
}
