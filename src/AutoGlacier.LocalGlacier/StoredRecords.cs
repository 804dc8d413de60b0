namespace AutoGlacier.LocalGlacier;

/// <summary>A vault's metadata file.</summary>
internal sealed record VaultRecord(string Name, DateTimeOffset CreationDate);

/// <summary>An archive's metadata file, next to its data file.</summary>
internal sealed record ArchiveRecord(string ArchiveId, string Description, DateTimeOffset CreationDate, long Size, string TreeHash);

/// <summary>A multipart upload's metadata file.</summary>
internal sealed record UploadRecord(string UploadId, string Description, long PartSize, DateTimeOffset CreationDate);

/// <summary>An uploaded part's metadata file (inclusive byte range and tree hash).</summary>
internal sealed record PartRecord(long Start, long End, string TreeHash);

/// <summary>A job's metadata file.</summary>
internal sealed record JobRecord(
    string JobId,
    string Action,
    string? ArchiveId,
    string? Description,
    string Tier,
    DateTimeOffset CreationDate,
    DateTimeOffset CompletesAt,
    long? ArchiveSize,
    string? ArchiveTreeHash,
    string? RetrievalByteRange);
