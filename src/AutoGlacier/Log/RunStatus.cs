namespace AutoGlacier.Log;

/// <summary>Run status as written in the JSON log.</summary>
public static class RunStatus
{
    /// <summary>The run started and has not ended (a crash leaves this).</summary>
    public const string Started = "started";
    /// <summary>Every gathered file was stored unchanged.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>The archive was stored but some files were skipped or changed while read.</summary>
    public const string CompletedWithWarnings = "completed-with-warnings";
    /// <summary>The run failed; <see cref="RunRecord.Error"/> says why.</summary>
    public const string Failed = "failed";
    /// <summary>
    /// The archive is complete in the upload spool and being uploaded; if this stays (the process died), <c>autoglacier
    /// resume</c> finishes it. The file list is already in the log.
    /// </summary>
    public const string Uploading = "uploading";
    /// <summary>A run of the Python seed whose record stops before "JOB SUCCEED" (it was killed or crashed part-way).</summary>
    public const string Incomplete = "incomplete";
    /// <summary>The archive is complete in the upload spool but its upload failed; <c>autoglacier resume</c> finishes it.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>The status a stored archive's run ends with: with warnings when files were skipped or changed, or anything was warned about.</summary>
    internal static string Final(RunRecord record) =>
        record.FilesSkipped + record.FilesChanged > 0 || record.Warnings.Count > 0 ? CompletedWithWarnings : Succeeded;
}
