using AutoGlacier.Configuration;

namespace AutoGlacier.Vaults.S3;

/// <summary>Where and how <see cref="S3Vault"/> stores archives; built from a <see cref="GteuConfig"/> or in code.</summary>
internal sealed record S3VaultOptions
{
    /// <summary>Default S3_PREFIX.</summary>
    public const string DefaultPrefix = "autoglacier/";

    /// <summary>Default PART_SIZE_MB: 32 MiB parts hold archives up to 312.5 GiB (10,000 parts).</summary>
    public const int DefaultPartSizeMb = 32;

    /// <summary>Default UPLOAD_CONCURRENCY.</summary>
    public const int DefaultUploadConcurrency = 2;

    /// <summary>Default RESTORE_DAYS.</summary>
    public const int DefaultRestoreDays = 7;

    /// <summary>S3_BUCKET.</summary>
    public required string Bucket { get; init; }

    /// <summary>S3_PREFIX: every object key starts with it.</summary>
    public string Prefix { get; init; } = DefaultPrefix;

    /// <summary>S3_STORAGE_CLASS (see <see cref="S3StorageClasses"/>).</summary>
    public string StorageClass { get; init; } = S3StorageClasses.DeepArchive;

    /// <summary>CATALOG_STORAGE_CLASS: the class of snapshot catalogs, which must be readable without a restore request.</summary>
    public string CatalogStorageClass { get; init; } = S3StorageClasses.Standard;

    /// <summary>Bytes per multipart part (5 MiB..5 GiB).</summary>
    public long PartSize { get; init; } = DefaultPartSizeMb * (long)S3Limits.MiB;

    /// <summary>Parts uploaded at the same time; memory use is about (this + 1) × <see cref="PartSize"/>.</summary>
    public int UploadConcurrency { get; init; } = DefaultUploadConcurrency;

    /// <summary>RETRIEVAL_TIER for restores of GLACIER / DEEP_ARCHIVE objects.</summary>
    public string RetrievalTier { get; init; } = S3RetrievalTiers.Standard;

    /// <summary>RESTORE_DAYS: how long a restored copy stays readable.</summary>
    public int RestoreDays { get; init; } = DefaultRestoreDays;

    /// <summary>Most parts per upload: S3's 10,000 (lowered only by tests, to reach the limit cheaply).</summary>
    internal int MaxParts { get; init; } = S3Limits.MaxParts;

    /// <summary>The storage class an object of <paramref name="kind"/> is written in.</summary>
    public string StorageClassFor(VaultObjectKind kind) => kind == VaultObjectKind.Catalog ? CatalogStorageClass : StorageClass;

    /// <summary>The S3 options of a configuration with BACKEND "s3".</summary>
    public static S3VaultOptions From(GteuConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new S3VaultOptions
        {
            Bucket = config.S3Bucket ?? throw new ConfigurationException("S3_BUCKET is required with BACKEND \"s3\"."),
            Prefix = config.S3Prefix,
            StorageClass = config.S3StorageClass,
            CatalogStorageClass = S3Backend.CatalogStorageClassOf(config),
            PartSize = (config.PartSizeMb ?? DefaultPartSizeMb) * (long)S3Limits.MiB,
            UploadConcurrency = config.UploadConcurrency ?? DefaultUploadConcurrency,
            RetrievalTier = S3RetrievalTiers.Normalize(config.RetrievalTier) ?? S3RetrievalTiers.Standard,
            RestoreDays = config.RestoreDays,
        };
    }
}
