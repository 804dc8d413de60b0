using System.Runtime.InteropServices;

namespace AutoGlacier.Vaults.Local;

/// <summary>
/// Makes renames in a directory durable. On POSIX a rename is only on disk once the directory itself is fsynced;
/// .NET has no API for that, hence the three libc calls.
/// </summary>
internal static partial class DirectorySync
{
    private const int EBADF = 9;
    private const int EINVAL = 22;

    /// <summary>
    /// Flushes <paramref name="directory"/>'s entries to disk on Linux. Elsewhere a no-op: NTFS journals renames, and
    /// the libc calls below are declared for Linux's libc only (no libc call is made on any other platform).
    /// </summary>
    /// <exception cref="IOException">The directory could not be synced.</exception>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            // Some file systems cannot fsync a directory and say so with EINVAL/EBADF; their renames are as durable as they get.
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is not (EINVAL or EBADF) and int errno)
            {
                throw new IOException($"Cannot sync directory '{directory}' to disk (errno {errno}); the last archive may not survive a power loss.");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
