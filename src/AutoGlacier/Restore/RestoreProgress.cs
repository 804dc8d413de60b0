namespace AutoGlacier.Restore;

/// <summary>
/// A progress report from a running restore or verify (sent through <see cref="IProgress{T}"/> about four times a
/// second, from any thread).
/// </summary>
public sealed record RestoreProgress
{
    /// <summary>What the run is doing: <see cref="RestorePhase.Planned"/>, <see cref="RestorePhase.Retrieving"/>, <see cref="RestorePhase.Reading"/> or <see cref="RestorePhase.Done"/>.</summary>
    public required string Phase { get; init; }

    /// <summary>Stored archive bytes read (downloaded) so far.</summary>
    public long ArchiveBytesRead { get; init; }

    /// <summary>The stored archive's size, when the log knows it.</summary>
    public long? ArchiveSize { get; init; }

    /// <summary>Archive read rate since reading started, in bytes a second.</summary>
    public double BytesPerSecond { get; init; }

    /// <summary>Entries restored (or checked) so far.</summary>
    public int EntriesDone { get; init; }

    /// <summary>Entries the log says the archive holds (null when unknown, or when only some entries are included).</summary>
    public int? EntriesTotal { get; init; }

    /// <summary>File bytes restored (or checked) so far.</summary>
    public long FileBytes { get; init; }

    /// <summary>The entry being handled.</summary>
    public string? CurrentEntry { get; init; }

    /// <summary>Time since the restore or verify started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Estimated time left while reading, from the read rate and the archive's size; null when unknown.</summary>
    public TimeSpan? EstimatedRemaining { get; init; }

    /// <summary>While <see cref="Phase"/> is <see cref="RestorePhase.Retrieving"/>: the retrieval being waited for.</summary>
    public RetrievalWait? Retrieval { get; init; }

    /// <summary>
    /// A snapshot's restore or verify (several archives): each planned archive and where it is, oldest run first;
    /// null for a single archive. The first report, with <see cref="Phase"/> <see cref="RestorePhase.Planned"/>,
    /// comes before any retrieval is requested.
    /// </summary>
    public IReadOnlyList<ArchiveProgress>? Archives { get; init; }
}

/// <summary>A cold-storage retrieval being waited for.</summary>
/// <param name="State">The vault's description of the retrieval (e.g. "Glacier Standard retrieval job … in progress").</param>
/// <param name="RequestedAt">When it was requested (ISO 8601 UTC, from the log), or null when before this run and unrecorded.</param>
/// <param name="Waited">How long this run has waited so far.</param>
/// <param name="NextCheck">When the vault is asked again.</param>
public sealed record RetrievalWait(string State, string? RequestedAt, TimeSpan Waited, DateTimeOffset NextCheck);

/// <summary>The phases a <see cref="RestoreProgress"/> reports.</summary>
public static class RestorePhase
{
    /// <summary>A snapshot's plan is made (<see cref="RestoreProgress.Archives"/> lists it); nothing is requested yet.</summary>
    public const string Planned = "planned";
    /// <summary>Waiting for a cold-storage retrieval (Glacier job, S3 restore) to finish.</summary>
    public const string Retrieving = "retrieving";
    /// <summary>Reading (downloading), decrypting and extracting or checking the archive.</summary>
    public const string Reading = "reading";
    /// <summary>Finished reading the archive.</summary>
    public const string Done = "done";
}
