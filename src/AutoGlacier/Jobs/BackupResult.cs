using AutoGlacier.Log;

namespace AutoGlacier;

/// <summary>What a backup run did. <see cref="ExitCode"/> is ready to return from <c>Main</c>.</summary>
public sealed record BackupResult
{
    /// <summary>The run's key in the JSON log (launch unix timestamp); null if the run never started.</summary>
    public string? RunKey { get; init; }
    /// <summary>Final status (<see cref="RunStatus"/>).</summary>
    public string Status { get; init; } = RunStatus.Failed;
    /// <summary>The vault's id for the archive; null on failure.</summary>
    public string? ArchiveId { get; init; }
    /// <summary>Entries stored.</summary>
    public int FilesStored { get; init; }
    /// <summary>Entries skipped.</summary>
    public int FilesSkipped { get; init; }
    /// <summary>Entries that changed while they were read.</summary>
    public int FilesChanged { get; init; }
    /// <summary>Bytes of file content read.</summary>
    public long PlaintextSize { get; init; }
    /// <summary>Bytes stored in the vault.</summary>
    public long ArchiveSize { get; init; }
    /// <summary>Warnings (globs with no match, skipped and changed files).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The error message when the run failed.</summary>
    public string? Error { get; init; }
    /// <summary>How long the run took.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>The run's snapshot: its kind and base, what it stored, left unchanged and found removed; null if the run ended before deciding.</summary>
    public Log.RunSnapshot? Snapshot { get; init; }

    /// <summary>0 success, 1 error, 2 usage/configuration error, 3 completed with warnings.</summary>
    public int ExitCode { get; init; } = ExitCodes.Error;
}
