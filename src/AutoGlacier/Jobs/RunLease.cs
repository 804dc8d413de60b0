namespace AutoGlacier;

/// <summary>
/// Proof that a run's process is alive: an exclusive lock on <c>TMP_DIR/autoglacier-RUNKEY.lock</c>, held for the
/// whole run. The kernel drops the lock when the process dies, however it dies, so a resume can tell an unfinished
/// run of a dead process (resume it) from one still running elsewhere (leave it alone).
/// </summary>
internal sealed class RunLease : IDisposable
{
    private readonly FileStream _lock;

    private RunLease(FileStream lockFile) => _lock = lockFile;

    /// <summary>The lock file's path (recorded in the run's log record).</summary>
    public string Path => _lock.Name;

    /// <summary>The lock file of a run.</summary>
    public static string PathFor(string directory, string runKey) => System.IO.Path.Combine(directory, $"autoglacier-{runKey}.lock");

    /// <summary>Takes the lease, or returns null when another process holds it.</summary>
    public static RunLease? TryTake(string path)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            return new RunLease(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>Releases the lease (and removes the lock file).</summary>
    public void Dispose() => _lock.Dispose();
}
