using System.Runtime.InteropServices;

namespace AutoGlacier.Gathering;

/// <summary>
/// A regular file opened to be read into the archive, with the metadata of the very file opened: its size and mtime
/// before the first byte is read (<see cref="Info"/>) and after the last (<see cref="StatAgain"/>), which is how a
/// file changed while read is told from one stored whole.
/// </summary>
/// <remarks>
/// On Linux (x64, arm64) this is open, fstat, read…, fstat and close: five system calls for a small file. The open
/// follows no final symlink and does not block (a path that became a FIFO since it was gathered would otherwise hang
/// the backup), and the metadata comes from the open file, so a path swapped between a look and the open cannot
/// pass one file's metadata off as another's. .NET's FileStream with an lstat before and after made twelve (flock
/// twice, fstat twice, fadvise, two more lstats: `strace -f -c` of a backup of 15,443 real files,
/// docs/BENCHMARK.md). Elsewhere: lstat, FileStream, lstat, as before.
/// </remarks>
internal sealed partial class SourceFile : IDisposable
{
    private const int O_RDONLY = 0, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    private const int EINTR = 4, ENOENT = 2, ENOTDIR = 20, ELOOP = 40;
    private const int POSIX_FADV_SEQUENTIAL = 2;
    /// <summary>Files from this size on are announced as read sequentially (larger read-ahead); smaller ones take one read.</summary>
    private const long SequentialHintSize = 1 << 20;

    private static int ONoFollow => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    private readonly string _path;
    private readonly FileStream? _stream;
    private int _fd = -1;

    private SourceFile(string path, int fd, FileStream? stream, UnixFileInfo info) => (_path, _fd, _stream, Info) = (path, fd, stream, info);

    /// <summary>The file's metadata when it was opened.</summary>
    public UnixFileInfo Info { get; }

    /// <summary>Opens <paramref name="path"/> if it is a regular file now; otherwise says what it is, or why it cannot be read.</summary>
    public static SourceOpening Open(string path) => NativeStat.IsSupported ? OpenNative(path) : OpenManaged(path);

    /// <summary>Reads up to <paramref name="buffer"/>'s length; 0 at the end.</summary>
    /// <exception cref="IOException">The read failed (the message names the file and says why).</exception>
    public unsafe int Read(Span<byte> buffer)
    {
        if (_stream is not null) { return _stream.Read(buffer); }
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var n = ReadNative(_fd, start, (nuint)buffer.Length);
                if (n >= 0) { return (int)n; }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR) { throw new IOException($"Cannot read '{_path}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})."); }
            }
        }
    }

    /// <summary>The open file's metadata now; null when it cannot be had (the caller counts that as a change).</summary>
    public UnixFileInfo? StatAgain()
    {
        try
        {
            return _stream is null ? NativeStat.FStat(_fd, _path) : UnixFileInfo.Get(_path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream?.Dispose();
        if (_fd >= 0) { _ = Close(_fd); } // read-only: close has nothing left to report
        _fd = -1;
    }

    private static SourceOpening OpenNative(string path)
    {
        int fd;
        do { fd = OpenFile(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | ONoFollow, 0); }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                ENOENT or ENOTDIR => SourceOpening.Now(new UnixFileInfo(FileKind.Missing, 0, 0, default, 0, 0)),
                ELOOP => LookAgain(path), // a symlink now (O_NOFOLLOW): stored as what lstat says
                _ => SourceOpening.Unreadable($"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})"),
            };
        }
        try
        {
            var info = NativeStat.FStat(fd, path);
            if (info.Kind != FileKind.RegularFile)
            {
                _ = Close(fd);
                return SourceOpening.Now(info);
            }
            if (info.Size >= SequentialHintSize) { _ = FAdvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL); } // a hint: its failure changes nothing
            return SourceOpening.Of(new SourceFile(path, fd, null, info));
        }
        catch (IOException ex)
        {
            _ = Close(fd);
            return SourceOpening.Unreadable(ex.Message);
        }
    }

    /// <summary>What lstat says the path is now.</summary>
    private static SourceOpening LookAgain(string path)
    {
        try { return SourceOpening.Now(UnixFileInfo.Get(path)); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return SourceOpening.Unreadable(ex.Message); }
    }

    /// <summary>Off Linux: lstat, then FileStream (internal: tested on Linux too).</summary>
    internal static SourceOpening OpenManaged(string path)
    {
        var look = LookAgain(path);
        if (look.Current is not { Kind: FileKind.RegularFile } info) { return look; }
        try
        {
            // Unbuffered: the tar writer reads in large chunks already, and a per-file buffer would be garbage once per file.
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
            return SourceOpening.Of(new SourceFile(path, -1, stream, info));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return SourceOpening.Now(new UnixFileInfo(FileKind.Missing, 0, 0, default, 0, 0));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return SourceOpening.Unreadable(ex.Message);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadNative(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int FAdvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

/// <summary>What <see cref="SourceFile.Open"/> found: the open file, or what the path is now, or why it cannot be read.</summary>
/// <param name="File">The opened regular file (the caller disposes of it).</param>
/// <param name="Current">Not a regular file any more: what it is now (<see cref="FileKind.Missing"/> when gone).</param>
/// <param name="Error">It exists but cannot be opened or inspected: why.</param>
internal readonly record struct SourceOpening(SourceFile? File, UnixFileInfo? Current, string? Error)
{
    public static SourceOpening Of(SourceFile file) => new(file, null, null);

    public static SourceOpening Now(UnixFileInfo current) => new(null, current, null);

    public static SourceOpening Unreadable(string error) => new(null, null, error);
}
