using System.Diagnostics;

namespace AutoGlacier.Log;

/// <summary>
/// An exclusive lock on the log's sidecar file (<c>log.json.lock</c>). Opening with <see cref="FileShare.None"/> is
/// an flock(LOCK_EX) on Unix and a share-mode lock on Windows, so it excludes other processes as well as other
/// handles in this one. The lock file is never deleted: deleting it would let two writers lock different inodes.
/// </summary>
internal sealed class LogLock : IDisposable
{
    private readonly FileStream _handle;

    private LogLock(FileStream handle) => _handle = handle;

    /// <summary>Takes the lock, retrying with a short backoff until <paramref name="timeout"/>.</summary>
    /// <exception cref="AutoGlacierException">The lock stayed busy for the whole timeout.</exception>
    public static async Task<LogLock> AcquireAsync(string lockPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int delayMs = 2;
        while (true)
        {
            try
            {
                return new LogLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException ex) when (clock.Elapsed < timeout)
            {
                _ = ex; // Busy: another writer holds it. Retry below.
            }
            catch (IOException ex)
            {
                throw new AutoGlacierException(
                    $"Timed out after {timeout.TotalSeconds:0.#} s waiting for the lock '{lockPath}' of the JSON log: another " +
                    "AutoGlacier process is writing it. Wait for it to finish and retry; if no other run is active, check " +
                    "that the file system supports locks.", ex);
            }

            await Task.Delay(delayMs + Random.Shared.Next(delayMs), cancellationToken).ConfigureAwait(false);
            delayMs = Math.Min(delayMs * 2, 100);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
