using System.Runtime.InteropServices;
using AutoGlacier.Streams;

namespace AutoGlacier.Restore;

/// <summary>
/// One restored file under its temporary name: created owner-only (it must not exist), written, given its mode and
/// mtime, closed; then <see cref="Rename"/> gives it its real name, never replacing an existing file unless asked.
/// </summary>
/// <remarks>
/// On Linux (x64, arm64) this is six system calls per file: open (O_EXCL), write, fchmod, futimens, close and
/// renameat2 with RENAME_NOREPLACE (atomic, where .NET's File.Move checks with lstat and then renames). .NET's
/// FileStream, File.SetUnixFileMode and File.Move made eighteen (flock twice, lseek four times, fstat, fstatfs,
/// lstat three times), most of a small file's restore cost on a virtual machine, where each system call is dear
/// (restore of 15,443 real files: docs/BENCHMARK.md). Elsewhere .NET's file APIs do the same.
/// </remarks>
internal sealed partial class RestoredFile : IDisposable
{
    private const int O_WRONLY = 0x1, O_CREAT = 0x40, O_EXCL = 0x80, O_CLOEXEC = 0x80000;
    private const int AT_FDCWD = -100;
    private const uint RENAME_NOREPLACE = 1;
    private const int EINTR = 4, EEXIST = 17, EINVAL = 22, ENOSYS = 38;
    private const long UTIME_OMIT = (1L << 30) - 2;

    /// <summary>Owner-only until complete: the content may be secret; its real mode is set before the rename.</summary>
    private static readonly FileStreamOptions PrivateNewFile = NewFileOptions.Create(FileAccess.Write, 0, NewFileOptions.Private);

    private static readonly bool Native = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;
    private static bool _noReplaceUnsupported;

    private readonly string _path;
    private readonly FileStream? _stream;
    private int _fd = -1;

    private RestoredFile(string path, int fd, FileStream? stream) => (_path, _fd, _stream) = (path, fd, stream);

    /// <summary>Creates <paramref name="path"/>, which must not exist, readable and writable by the owner only.</summary>
    /// <exception cref="IOException">It exists or cannot be created (the message names it and says why).</exception>
    public static RestoredFile Create(string path)
    {
        if (!Native) { return new RestoredFile(path, -1, new FileStream(path, PrivateNewFile)); }
        var fd = Open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (int)NewFileOptions.Private);
        return fd >= 0 ? new RestoredFile(path, fd, null) : throw Failure("create", path);
    }

    /// <summary>Appends <paramref name="content"/>.</summary>
    public void Write(ReadOnlySpan<byte> content)
    {
        if (_stream is not null) { _stream.Write(content); }
        else { WriteAll(content); }
    }

    /// <summary>Gives the file its mode and mtime (on the open file: no second path lookup) and closes it.</summary>
    public void Seal(EntryMetadata metadata)
    {
        if (_stream is not null)
        {
            if (!OperatingSystem.IsWindows()) { File.SetUnixFileMode(_stream.SafeFileHandle, metadata.Mode); }
            File.SetLastWriteTimeUtc(_stream.SafeFileHandle, metadata.ModifiedUtc);
            _stream.Dispose();
            return;
        }
        if (FChmod(_fd, (int)metadata.Mode) != 0) { throw Failure("set the mode of", _path); }
        SetModified(metadata.ModifiedUtc);
        var fd = _fd;
        _fd = -1;
        // close's errors matter: a file system may report a failed write only here.
        if (Close(fd) != 0) { throw Failure("write", _path); }
    }

    /// <summary>Closes the file if <see cref="Seal"/> did not (after a failure; the caller deletes it).</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        if (_fd >= 0) { _ = Close(_fd); }
        _fd = -1;
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>; without <paramref name="overwrite"/> an existing <paramref name="to"/> is an error.</summary>
    /// <exception cref="IOException">The rename failed (the message says why).</exception>
    public static void Rename(string from, string to, bool overwrite)
    {
        if (!Native) { File.Move(from, to, overwrite); }
        else if (overwrite)
        {
            if (RenameNative(from, to) != 0) { throw Failure("rename", from, to, Marshal.GetLastPInvokeError()); }
        }
        else if (_noReplaceUnsupported || TryRenameNoReplace(from, to) is not { } errno) { File.Move(from, to, overwrite: false); }
        else if (errno == EEXIST) { throw new IOException($"'{to}' already exists; restore into an empty directory or pass --overwrite"); }
        else if (errno is EINVAL or ENOSYS)
        {
            _noReplaceUnsupported = true; // a file system without RENAME_NOREPLACE: .NET's check-then-rename from now on
            File.Move(from, to, overwrite: false);
        }
        else if (errno != 0) { throw Failure("rename", from, to, errno); }
    }

    /// <summary>0 when renamed, else the errno; null when this libc has no renameat2 (glibc before 2.28).</summary>
    private static int? TryRenameNoReplace(string from, string to)
    {
        try
        {
            return RenameAt2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        catch (EntryPointNotFoundException)
        {
            _noReplaceUnsupported = true;
            return null;
        }
    }

    private unsafe void WriteAll(ReadOnlySpan<byte> content)
    {
        fixed (byte* start = content)
        {
            var written = 0;
            while (written < content.Length)
            {
                var n = WriteNative(_fd, start + written, (nuint)(content.Length - written));
                if (n < 0 && Marshal.GetLastPInvokeError() == EINTR) { continue; }
                if (n <= 0) { throw Failure("write", _path); }
                written += (int)n;
            }
        }
    }

    private unsafe void SetModified(DateTime modifiedUtc)
    {
        var seconds = Math.DivRem((modifiedUtc - DateTime.UnixEpoch).Ticks, TimeSpan.TicksPerSecond, out var ticks);
        if (ticks < 0) { (seconds, ticks) = (seconds - 1, ticks + TimeSpan.TicksPerSecond); } // before 1970: nanoseconds stay positive
        var times = stackalloc long[4] { 0, UTIME_OMIT, seconds, ticks * 100 }; // atime left as it is, mtime set
        if (FUTimens(_fd, times) != 0) { throw Failure("set the modification time of", _path); }
    }

    private static IOException Failure(string what, string path) => Failure(what, path, null, Marshal.GetLastPInvokeError());

    private static IOException Failure(string what, string path, string? to, int errno) =>
        new($"Cannot {what} '{path}'{(to is null ? "" : $" to '{to}'")}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteNative(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FChmod(int fd, int mode);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static unsafe partial int FUTimens(int fd, long* times);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameNative(string from, string to);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int fromDirFd, string from, int toDirFd, string to, uint flags);
}
