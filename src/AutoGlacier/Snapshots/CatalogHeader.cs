namespace AutoGlacier.Snapshots;

/// <summary>The kind of snapshot a run made.</summary>
internal enum SnapshotKind
{
    /// <summary>Self-contained: its catalog lists every entry.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("full")] Full,
    /// <summary>Based on the previous snapshot of the series: its catalog lists what changed since then.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("incremental")] Incremental,
    /// <summary>Based on the last full snapshot: its catalog lists what changed since that full.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("differential")] Differential,
}

/// <summary>A series: the runs that may reference each other's archives.</summary>
/// <param name="Job">Job name.</param>
/// <param name="Backend">Backend name.</param>
/// <param name="Location">Vault, or bucket + prefix, or directory.</param>
internal sealed record SeriesId(string Job, string Backend, string Location);

/// <summary>The first line of a catalog: what it is and what it is based on.</summary>
internal sealed record CatalogHeader
{
    /// <summary>The format marker every catalog starts with.</summary>
    public const string FormatName = "autoglacier-catalog";

    /// <summary>The version this build writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>Catalog format version.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The run this catalog describes.</summary>
    public required string Run { get; init; }

    /// <summary>Full, incremental or differential.</summary>
    public SnapshotKind Kind { get; init; }

    /// <summary>The run this one is based on (null for a full).</summary>
    public string? Base { get; init; }

    /// <summary>The series the run belongs to.</summary>
    public required SeriesId Series { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }
}

/// <summary>The last line of a catalog: it proves the catalog is complete and counts its lines.</summary>
internal sealed record CatalogTrailer
{
    /// <summary>Always true; a line starting with <c>{"end":</c> is the trailer.</summary>
    public bool End { get; init; } = true;

    /// <summary>Entry lines (removal marks included).</summary>
    public long Entries { get; init; }

    /// <summary>Removal marks among them.</summary>
    public long Removed { get; init; }
}
