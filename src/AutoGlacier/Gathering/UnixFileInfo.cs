using System.Runtime.InteropServices;

namespace AutoGlacier.Gathering;

/// <summary>What kind of file system object a path is, as lstat reports it (links are not followed).</summary>
internal enum FileKind
{
    /// <summary>The path does not exist.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    RegularFile,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A symbolic link (stored as a link, never followed).</summary>
    SymbolicLink,
    /// <summary>A FIFO, socket, or character/block device: skipped with a warning.</summary>
    Special,
}

/// <summary>
/// lstat-level metadata of one path: kind, size, mode, mtime, owner, and what tells an unchanged file from a changed one
/// without reading it (mtime and ctime to the nanosecond, inode, device).
/// </summary>
/// <param name="Kind">File kind.</param>
/// <param name="Size">Size in bytes (regular files).</param>
/// <param name="Mode">Permission bits (e.g. 0644) including setuid/setgid/sticky.</param>
/// <param name="ModifiedUtc">Last write time, 100 ns precision.</param>
/// <param name="Uid">Owner user id (0 where the platform gives none).</param>
/// <param name="Gid">Owner group id (0 where the platform gives none).</param>
internal sealed record UnixFileInfo(FileKind Kind, long Size, int Mode, DateTimeOffset ModifiedUtc, int Uid, int Gid)
{
    /// <summary>Last write time in nanoseconds since the Unix epoch, at the file system's full precision.</summary>
    public long ModifiedUnixNs { get; init; }

    /// <summary>
    /// Last status change time (ctime) in nanoseconds since the Unix epoch: moves on every write, chmod, chown, rename
    /// or link count change, and cannot be set by a user. 0 where the platform gives none.
    /// </summary>
    public long ChangedUnixNs { get; init; }

    /// <summary>Inode number (0 where the platform gives none). With <see cref="Device"/> it names the file itself: hard links share both.</summary>
    public ulong Inode { get; init; }

    /// <summary>Id of the device holding the file (st_dev; 0 where the platform gives none).</summary>
    public ulong Device { get; init; }

    /// <summary>Reads metadata without following a final symlink.</summary>
    public static UnixFileInfo Get(string path) =>
        NativeStat.IsSupported ? NativeStat.LStat(path) : ManagedFallback(path);

    /// <summary>
    /// Platforms without a known <c>struct stat</c> layout: kind and mode from .NET, no uid/gid, and special files
    /// cannot be told from regular ones (documented in the README).
    /// </summary>
    internal static UnixFileInfo ManagedFallback(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path) && info.LinkTarget is null)
        {
            return new UnixFileInfo(FileKind.Missing, 0, 0, default, 0, 0);
        }
        FileSystemInfo fsi = Directory.Exists(path) && info.LinkTarget is null ? new DirectoryInfo(path) : info;
        var kind = fsi.LinkTarget is not null ? FileKind.SymbolicLink
            : fsi is DirectoryInfo ? FileKind.Directory : FileKind.RegularFile;
        var mode = OperatingSystem.IsWindows() ? (kind == FileKind.Directory ? 0x1ED : 0x1A4) : (int)fsi.UnixFileMode;
        var modified = new DateTimeOffset(fsi.LastWriteTimeUtc, TimeSpan.Zero);
        return new UnixFileInfo(kind, kind == FileKind.RegularFile ? info.Length : 0, mode, modified, 0, 0)
        {
            ModifiedUnixNs = (modified - DateTimeOffset.UnixEpoch).Ticks * 100,
        };
    }
}

/// <summary>
/// lstat(2) through libc on Linux x64 and arm64, whose <c>struct stat</c> layouts are fixed ABI. .NET has no public
/// API for uid/gid or for telling FIFOs and devices from regular files, and opening a FIFO would hang the backup.
/// </summary>
internal static partial class NativeStat
{
    private const int StatBufferSize = 256;
    private const int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFLNK = 0xA000;
    private const int ENOENT = 2, ENOTDIR = 20;

    public static bool IsSupported { get; } = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int LStatNative(string path, byte* buffer);

    // glibc before 2.33 (e.g. RHEL 8) exports lstat only as __lxstat(version, path, buffer).
    [LibraryImport("libc", EntryPoint = "__lxstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int LegacyLStatNative(int version, string path, byte* buffer);

    // fstat: the same, as __fxstat(version, fd, buffer).
    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static unsafe partial int FStatNative(int fd, byte* buffer);

    [LibraryImport("libc", EntryPoint = "__fxstat", SetLastError = true)]
    private static unsafe partial int LegacyFStatNative(int version, int fd, byte* buffer);

    private static bool _useLegacyEntryPoint, _useLegacyFStat;

    /// <summary>_STAT_VER of the kernel struct layout: 1 on x86_64, 0 on aarch64.</summary>
    private static int LegacyStatVersion => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0;

    private static unsafe int CallLStat(string path, byte* buffer)
    {
        if (!_useLegacyEntryPoint)
        {
            try
            {
                return LStatNative(path, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                _useLegacyEntryPoint = true;
            }
        }
        return LegacyLStatNative(LegacyStatVersion, path, buffer);
    }

    private static unsafe int CallFStat(int fd, byte* buffer)
    {
        if (!_useLegacyFStat)
        {
            try
            {
                return FStatNative(fd, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                _useLegacyFStat = true;
            }
        }
        return LegacyFStatNative(LegacyStatVersion, fd, buffer);
    }

    public static unsafe UnixFileInfo LStat(string path)
    {
        var buffer = stackalloc byte[StatBufferSize];
        if (CallLStat(path, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR)
            {
                return new UnixFileInfo(FileKind.Missing, 0, 0, default, 0, 0);
            }
            throw new IOException($"Cannot read the metadata of '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.");
        }
        return Parse(new ReadOnlySpan<byte>(buffer, StatBufferSize));
    }

    /// <summary>The metadata of an open file (of the very file read, whatever its path names meanwhile).</summary>
    /// <exception cref="IOException">fstat failed; the message names <paramref name="path"/>.</exception>
    public static unsafe UnixFileInfo FStat(int fd, string path)
    {
        var buffer = stackalloc byte[StatBufferSize];
        if (CallFStat(fd, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot read the metadata of the open file '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.");
        }
        return Parse(new ReadOnlySpan<byte>(buffer, StatBufferSize));
    }

    private static UnixFileInfo Parse(ReadOnlySpan<byte> span)
    {
        var layout = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? Layout.X64 : Layout.Arm64;
        var mode = BitConverter.ToInt32(span[layout.Mode..]);
        var (seconds, nanos) = Timespec(span, layout.Mtime);
        var mtime = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return new UnixFileInfo(KindOf(mode), BitConverter.ToInt64(span[layout.Size..]), mode & 0xFFF, mtime,
            BitConverter.ToInt32(span[layout.Uid..]), BitConverter.ToInt32(span[(layout.Uid + 4)..]))
        {
            ModifiedUnixNs = UnixNs(Timespec(span, layout.Mtime)),
            ChangedUnixNs = UnixNs(Timespec(span, layout.Ctime)),
            Inode = BitConverter.ToUInt64(span[layout.Inode..]),
            Device = BitConverter.ToUInt64(span[layout.Device..]),
        };
    }

    /// <summary>A <c>struct timespec</c> (64-bit seconds, then 64-bit nanoseconds on both architectures).</summary>
    private static (long Seconds, long Nanos) Timespec(ReadOnlySpan<byte> stat, int offset) =>
        (BitConverter.ToInt64(stat[offset..]), BitConverter.ToInt64(stat[(offset + 8)..]));

    private static long UnixNs((long Seconds, long Nanos) time) => time.Seconds * 1_000_000_000 + time.Nanos;

    private static FileKind KindOf(int mode) => (mode & S_IFMT) switch
    {
        S_IFREG => FileKind.RegularFile,
        S_IFDIR => FileKind.Directory,
        S_IFLNK => FileKind.SymbolicLink,
        _ => FileKind.Special,
    };

    /// <summary>
    /// Byte offsets of the fields we read, from glibc's bits/struct_stat.h for each architecture (x86_64 puts a 64-bit
    /// st_nlink before st_mode; aarch64 uses the generic layout with a 32-bit st_nlink after it). st_dev and st_ino
    /// lead both, and the timespecs (atime, mtime, ctime) sit at the same offsets in both.
    /// </summary>
    private readonly record struct Layout(int Device, int Inode, int Mode, int Uid, int Size, int Mtime, int Ctime)
    {
        public static readonly Layout X64 = new(Device: 0, Inode: 8, Mode: 24, Uid: 28, Size: 48, Mtime: 88, Ctime: 104);
        public static readonly Layout Arm64 = new(Device: 0, Inode: 8, Mode: 16, Uid: 24, Size: 48, Mtime: 88, Ctime: 104);
    }
}
