namespace AutoGlacier.Log;

/// <summary>
/// What a run's snapshot is (in its <see cref="RunRecord.Snapshot"/>): its kind and base, what the run decided for
/// its entries, and where its catalog is. Runs logged before snapshots have none and count as full snapshots.
/// The run's file list holds only what the run itself wrote (stored, skipped, changed while read) and, with status
/// <see cref="FileStatus.Removed"/>, the paths its base had and it no longer has; the complete listing is the chain
/// of catalogs (docs/SNAPSHOTS.md).
/// </summary>
public sealed record RunSnapshot
{
    /// <summary>The job name of the series the run belongs to (with the record's backend and vault location).</summary>
    public string Series { get; init; } = "";

    /// <summary><c>full</c>, <c>incremental</c> or <c>differential</c>.</summary>
    public string Kind { get; init; } = "full";

    /// <summary>The run this snapshot is based on; null for a full.</summary>
    public string? Base { get; init; }

    /// <summary>Why the run is of its kind (e.g. "FULL_EVERY reached").</summary>
    public string? Reason { get; init; }

    /// <summary>CHANGE_DETECTION used: <c>metadata</c> or <c>content</c>.</summary>
    public string ChangeDetection { get; init; } = "metadata";

    /// <summary>Entries in the complete snapshot (files, directories, symlinks).</summary>
    public long Entries { get; init; }

    /// <summary>Entries left as the base has them (bytes in an earlier archive).</summary>
    public long Unchanged { get; init; }

    /// <summary>Entries listed anew whose bytes an earlier archive holds (metadata change, move, copy).</summary>
    public long Referenced { get; init; }

    /// <summary>Entries written into this run's archive.</summary>
    public long Stored { get; init; }

    /// <summary>Paths of the base that this snapshot no longer has.</summary>
    public long Removed { get; init; }

    /// <summary>Lines in this run's catalog.</summary>
    public long CatalogEntries { get; init; }

    /// <summary>The vault's id for the encrypted catalog; null until it is stored (then the run can be resumed).</summary>
    public string? CatalogArchiveId { get; init; }

    /// <summary>Bytes of the encrypted catalog in the vault.</summary>
    public long? CatalogSize { get; init; }

    /// <summary>Lowercase hex SHA-256 of the local (plain, zstd-compressed) catalog file.</summary>
    public string? CatalogSha256 { get; init; }
}
