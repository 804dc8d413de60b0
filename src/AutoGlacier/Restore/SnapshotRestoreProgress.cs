namespace AutoGlacier.Restore;

/// <summary>
/// One archive a snapshot's restore or verify reads: the run that wrote it and what of the snapshot it holds (the
/// plan, printed before any retrieval is requested).
/// </summary>
public sealed record PlannedArchive
{
    /// <summary>The run whose archive it is.</summary>
    public required string RunKey { get; init; }

    /// <summary>The archive id in the vault.</summary>
    public required string ArchiveId { get; init; }

    /// <summary>Wanted entries (files, directories, symlinks) the archive holds.</summary>
    public long Entries { get; init; }

    /// <summary>Wanted regular files it holds.</summary>
    public long Files { get; init; }

    /// <summary>Content bytes of those files.</summary>
    public long Bytes { get; init; }

    /// <summary>The stored archive's size (what is retrieved and downloaded), when the log knows it.</summary>
    public long? ArchiveSize { get; init; }
}

/// <summary>Where one archive of a snapshot's restore or verify is (in <see cref="RestoreProgress.Archives"/>).</summary>
public sealed record ArchiveProgress
{
    /// <summary>The archive and what it holds of the snapshot.</summary>
    public required PlannedArchive Archive { get; init; }

    /// <summary>One of the <see cref="ArchivePhase"/> values.</summary>
    public required string Phase { get; init; }

    /// <summary>Stored bytes read (downloaded) so far.</summary>
    public long ArchiveBytesRead { get; init; }

    /// <summary>Wanted entries restored or checked so far.</summary>
    public long EntriesDone { get; init; }

    /// <summary>While <see cref="Phase"/> is <see cref="ArchivePhase.Waiting"/>: the retrieval being waited for (null before the first check).</summary>
    public RetrievalWait? Retrieval { get; init; }
}

/// <summary>The phases of one archive in <see cref="ArchiveProgress"/>.</summary>
public static class ArchivePhase
{
    /// <summary>Planned; nothing requested yet.</summary>
    public const string Planned = "planned";
    /// <summary>Its cold-storage retrieval is requested and not finished.</summary>
    public const string Waiting = "waiting";
    /// <summary>Readable, waiting for its turn (archives are read one at a time).</summary>
    public const string Ready = "ready";
    /// <summary>Being read up to its first wanted entry.</summary>
    public const string Downloading = "downloading";
    /// <summary>Being read while its wanted entries are restored (or, for verify, checked).</summary>
    public const string Extracting = "extracting";
    /// <summary>Read to its end and checked.</summary>
    public const string Done = "done";
}
