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
}
