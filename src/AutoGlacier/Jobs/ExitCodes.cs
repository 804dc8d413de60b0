namespace AutoGlacier;

/// <summary>Process exit codes used by <see cref="BackupResult.ExitCode"/> and the <c>autoglacier</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Success = 0;
    /// <summary>The operation failed (nothing usable was produced, or a restore/verify found a problem).</summary>
    public const int Error = 1;
    /// <summary>Bad command line or configuration; nothing was read or written.</summary>
    public const int Usage = 2;
    /// <summary>The archive was stored, but some files were skipped or changed while being read.</summary>
    public const int CompletedWithWarnings = 3;
    /// <summary>
    /// Restore/verify: the archive is in cold storage and its retrieval is still in progress. The request is recorded
    /// in the log; run the same command again later (e.g. from cron) and it continues where it stopped.
    /// </summary>
    public const int Pending = 4;
}
