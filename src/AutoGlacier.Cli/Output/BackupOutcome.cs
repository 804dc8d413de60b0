using AutoGlacier.Log;

namespace AutoGlacier.Cli.Output;

/// <summary>
/// The result line of <c>backup</c>. A run that stored its archive says what it stored; a run that failed or was
/// cancelled says how far it got and that nothing was stored — never "N stored" for files that are in no archive.
/// </summary>
internal static class BackupOutcome
{
    /// <summary>What <see cref="BackupResult.Error"/> says when the run was cancelled (Ctrl-C, SIGTERM).</summary>
    private const string CancelledError = "the backup was cancelled";

    public static string ResultLine(BackupResult result, BackupProgress? last)
    {
        if (result.Status != RunStatus.Failed && result.ArchiveId is not null)
        {
            return $"Run {result.RunKey}: {result.Status}, {SnapshotPart(result.Snapshot)}{result.FilesStored} stored, {result.FilesSkipped} skipped, " +
                $"archive {result.ArchiveId} ({result.ArchiveSize} bytes) in {Units.Duration(result.Elapsed)}";
        }

        string how = result.Error == CancelledError ? "failed (cancelled)" : "failed (the error is above)";
        string stored = result.ArchiveId is { } id
            ? $"its archive {id} was stored before the failure (see above)"
            : "nothing stored";
        return $"Run {result.RunKey}: {how} {HowFar(result, last)} in {Units.Duration(result.Elapsed)}; {stored}";
    }

    /// <summary>What the run's snapshot is and what it did not have to read again ("incremental on KEY: 1,198 unchanged, …, ").</summary>
    private static string SnapshotPart(RunSnapshot? snapshot) => snapshot switch
    {
        null => "",
        { Base: null } => $"{snapshot.Kind} snapshot ({snapshot.Reason}): ",
        _ => $"{snapshot.Kind} on {snapshot.Base}: {Units.Count(snapshot.Unchanged)} unchanged, {Units.Count(snapshot.Referenced)} referenced, " +
             $"{Units.Count(snapshot.Removed)} removed, ",
    };

    /// <summary>"after reading 3 of 10 files (1.0 MiB of 4.0 MiB)", or "before any file was read".</summary>
    /// <remarks>The last progress report also counts the bytes of the file that was being read when the run ended.</remarks>
    private static string HowFar(BackupResult result, BackupProgress? last)
    {
        int files = result.FilesStored + result.FilesSkipped;
        long bytes = Math.Max(result.PlaintextSize, last?.BytesRead ?? 0);
        if (files == 0 && bytes == 0) { return "before any file was read"; }
        string ofFiles = last is { FilesTotal: > 0 } ? $" of {Units.Count(last.FilesTotal)}" : "";
        string ofBytes = last is { BytesTotal: > 0 } ? $" of {Units.Bytes(last.BytesTotal)}" : "";
        return $"after reading {Units.Count(files)}{ofFiles} files ({Units.Bytes(bytes)}{ofBytes})";
    }
}
