using System.Runtime.InteropServices;

namespace AutoGlacier.Gathering;

/// <summary>What kind of file system object a path is, as lstat reports it (links are not followed).</summary>
public enum FileKind
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

/// <summary>lstat-level metadata of one path: kind, size, mode, mtime, owner.</summary>
/// <param name="Kind">File kind.</param>
/// <param name="Size">Size in bytes (regular files).</param>
/// <param name="Mode">Permission bits (e.g. 0644) including setuid/setgid/sticky.</param>
/// <param name="ModifiedUtc">Last write time, 100 ns precision.</param>
/// <param name="Uid">Owner user id (0 where the platform gives none).</param>
/// <param name="Gid">Owner group id (0 where the platform gives none).</param>
public sealed record UnixFileInfo(FileKind Kind, long Size, int Mode, DateTimeOffset ModifiedUtc, int Uid, int Gid)
{
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
        return new UnixFileInfo(kind, kind == FileKind.RegularFile ? info.Length : 0, mode,
            new DateTimeOffset(fsi.LastWriteTimeUtc, TimeSpan.Zero), 0, 0);
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

    private static bool _useLegacyEntryPoint;

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
        var layout = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? Layout.X64 : Layout.Arm64;
        var span = new ReadOnlySpan<byte>(buffer, StatBufferSize);
        var mode = BitConverter.ToInt32(span[layout.Mode..]);
        var seconds = BitConverter.ToInt64(span[layout.MtimeSeconds..]);
        var nanos = BitConverter.ToInt64(span[(layout.MtimeSeconds + 8)..]);
        var mtime = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return new UnixFileInfo(KindOf(mode), BitConverter.ToInt64(span[layout.Size..]), mode & 0xFFF, mtime,
            BitConverter.ToInt32(span[layout.Uid..]), BitConverter.ToInt32(span[(layout.Uid + 4)..]));
    }

    private static FileKind KindOf(int mode) => (mode & S_IFMT) switch
    {
        S_IFREG => FileKind.RegularFile,
        S_IFDIR => FileKind.Directory,
        S_IFLNK => FileKind.SymbolicLink,
        _ => FileKind.Special,
    };

    /// <summary>Byte offsets of the fields we read, from glibc's bits/struct_stat.h for each architecture.</summary>
    private readonly record struct Layout(int Mode, int Uid, int Size, int MtimeSeconds)
    {
        public static readonly Layout X64 = new(Mode: 24, Uid: 28, Size: 48, MtimeSeconds: 88);
        public static readonly Layout Arm64 = new(Mode: 16, Uid: 24, Size: 48, MtimeSeconds: 88);
    }
}
