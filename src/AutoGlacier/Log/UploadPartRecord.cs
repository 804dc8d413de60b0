namespace AutoGlacier.Log;

/// <summary>One part of a run's multipart upload that the backend acknowledged, as the run's log records it.</summary>
public sealed record UploadPartRecord
{
    /// <summary>Part number, from 1 (S3's part number; Glacier's parts in order).</summary>
    public int Part { get; init; }

    /// <summary>First byte of the part in the archive.</summary>
    public long Start { get; init; }

    /// <summary>Bytes in the part.</summary>
    public long Length { get; init; }

    /// <summary>Glacier: the part's SHA-256 tree hash (hex); S3: its SHA-256 (base64), when known.</summary>
    public string? Checksum { get; init; }
}
