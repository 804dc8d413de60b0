namespace AutoGlacier.Vaults.S3;

/// <summary>The S3 storage classes AutoGlacier writes, and which of them need a restore before a read.</summary>
internal static class S3StorageClasses
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

    /// <summary>
    /// The classes CATALOG_STORAGE_CLASS accepts: those readable at once, because <c>recover</c> must read every catalog
    /// without waiting hours per object. STANDARD first (a catalog is a few MB; no minimum duration).
    /// </summary>
    public static IReadOnlyList<string> Instant { get; } = [Standard, GlacierInstantRetrieval, StandardInfrequentAccess];

    /// <summary>True for classes whose objects must be restored (RestoreObject) before GetObject works.</summary>
    public static bool NeedsRestore(string? storageClass) => storageClass is DeepArchive or Glacier;

    /// <summary>Days S3 bills an object of the class for at least (null: no minimum).</summary>
    public static int? MinimumStorageDays(string? storageClass) => storageClass switch
    {
        DeepArchive => 180,
        Glacier or GlacierInstantRetrieval => 90,
        StandardInfrequentAccess => 30,
        _ => null,
    };

    /// <summary>What an S3 vault writing objects of <paramref name="storageClass"/> can do.</summary>
    internal static VaultCapabilities Capabilities(string storageClass) => new()
    {
        StorageName = "S3 " + storageClass,
        MinimumStorageDays = MinimumStorageDays(storageClass),
        ReadsNeedRetrieval = NeedsRestore(storageClass),
        RetrievalTiers = RestoreTiers(storageClass),
        ResumableUploads = true,
        UsesRegion = true,
    };

    /// <summary>The restore tiers of a class, with S3's typical restore times; DEEP_ARCHIVE has no Expedited tier.</summary>
    private static IReadOnlyList<(string Tier, string TypicalWait)> RestoreTiers(string storageClass) => storageClass switch
    {
        DeepArchive => [(S3RetrievalTiers.Standard, "within 12 hours"), (S3RetrievalTiers.Bulk, "within 48 hours")],
        Glacier => [(S3RetrievalTiers.Expedited, "1–5 minutes"), (S3RetrievalTiers.Standard, "3–5 hours"), (S3RetrievalTiers.Bulk, "5–12 hours")],
        _ => [],
    };
}
