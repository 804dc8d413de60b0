namespace AutoGlacier.Vaults.S3;

/// <summary>The S3 storage classes AutoGlacier writes, and which of them need a restore before a read.</summary>
public static class S3StorageClasses
{
    /// <summary>S3 Glacier Deep Archive: cheapest; restore takes up to 12 h (Standard) or 48 h (Bulk); 180-day minimum.</summary>
    public const string DeepArchive = "DEEP_ARCHIVE";

    /// <summary>S3 Glacier Flexible Retrieval: restore in minutes (Expedited) to 12 h (Bulk); 90-day minimum.</summary>
    public const string Glacier = "GLACIER";

    /// <summary>S3 Glacier Instant Retrieval: readable at once; 90-day minimum.</summary>
    public const string GlacierInstantRetrieval = "GLACIER_IR";

    /// <summary>S3 Standard-Infrequent Access: readable at once; 30-day minimum.</summary>
    public const string StandardInfrequentAccess = "STANDARD_IA";

    /// <summary>S3 Standard: readable at once, no minimum duration.</summary>
    public const string Standard = "STANDARD";

    /// <summary>Every class the S3_STORAGE_CLASS setting accepts.</summary>
    public static IReadOnlyList<string> All { get; } = [DeepArchive, Glacier, GlacierInstantRetrieval, StandardInfrequentAccess, Standard];

    /// <summary>True for classes whose objects must be restored (RestoreObject) before GetObject works.</summary>
    public static bool NeedsRestore(string? storageClass) => storageClass is DeepArchive or Glacier;
}
