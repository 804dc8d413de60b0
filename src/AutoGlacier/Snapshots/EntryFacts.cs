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
