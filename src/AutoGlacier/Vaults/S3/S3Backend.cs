using System.Text.Json;
using System.Text.RegularExpressions;
using AutoGlacier.Configuration;

namespace AutoGlacier.Vaults.S3;

/// <summary>
/// BACKEND s3: the keys only S3 reads (S3_BUCKET, S3_PREFIX, S3_STORAGE_CLASS, CATALOG_STORAGE_CLASS, RESTORE_DAYS), their rules, S3's
/// limits on PART_SIZE_MB, and how it opens an <see cref="S3Vault"/>. The keys S3 shares with Glacier (REGION_NAME,
/// credentials, ENDPOINT_URL, AWS_PROFILE, PART_SIZE_MB, UPLOAD_CONCURRENCY, RETRIEVAL_TIER) are in <see cref="ConfigKeys"/>.
/// </summary>
internal static partial class S3Backend
{
    public const string Bucket = "S3_BUCKET";
    public const string Prefix = "S3_PREFIX";
    public const string StorageClass = "S3_STORAGE_CLASS";
    public const string RestoreDays = "RESTORE_DAYS";

    /// <summary>
    /// The storage class of snapshot catalogs. Kept in <see cref="GteuConfig.BackendSettings"/> (only S3 reads it), so
    /// the summary of a configuration that does not set it stays as it was.
    /// </summary>
    public const string CatalogStorageClass = "CATALOG_STORAGE_CLASS";

    public static BackendDefinition Definition { get; } = new()
    {
        Name = "s3",
        Description = "objects in an S3 bucket with a Glacier storage class (or an S3-compatible server)",
        Keys =
        [
            new ConfigKey(Bucket, (c, v, r) => c with { S3Bucket = r.String(Bucket, v, "a bucket name") }, c => c.S3Bucket ?? "(none)"),
            new ConfigKey(Prefix, (c, v, r) => c with { S3Prefix = PrefixValue(r, v) }, c => c.S3Prefix),
            new ConfigKey(StorageClass, (c, v, r) =>
                r.String(StorageClass, v, string.Join(", ", S3StorageClasses.All)) is { } s ? c with { S3StorageClass = s } : c, c => c.S3StorageClass),
            new ConfigKey(RestoreDays, (c, v, r) => r.Integer(RestoreDays, v, "1–365") is { } n ? c with { RestoreDays = n } : c),
            new ConfigKey(CatalogStorageClass, (c, v, r) =>
                r.String(CatalogStorageClass, v, string.Join(", ", S3StorageClasses.Instant)) is { } s ? c.WithBackendSetting(CatalogStorageClass, s) : c,
                c => c.BackendSettings.GetValueOrDefault(CatalogStorageClass) as string),
        ],
        Check = Check,
        PartSizeMbRule = CheckPartSizeMb,
        Open = S3Vault.Create,
        CapabilitiesOfRun = summary => S3StorageClasses.Capabilities(RecordedStorageClass(summary)),
    };

    /// <summary>CATALOG_STORAGE_CLASS as configured, or its default STANDARD.</summary>
    public static string CatalogStorageClassOf(GteuConfig config) =>
        config.BackendSettings.GetValueOrDefault(CatalogStorageClass) as string ?? S3StorageClasses.Standard;

    /// <summary>S3's part sizes: at least its 5 MiB part minimum, at most what AutoGlacier holds in memory.</summary>
    public static string? CheckPartSizeMb(int part) =>
        part < S3Limits.MinPartSize / S3Limits.MiB || part > S3Limits.MaxPartSizeMb
            ? $"{ConfigKeys.PartSizeMb} = {part} is out of range; allowed: 5–{S3Limits.MaxPartSizeMb} (S3's smallest part; " +
              "parts are held in memory, and 10,000 parts of 1024 MiB already exceed S3's 5 TiB object limit)."
            : null;

    /// <summary>The storage class a run recorded in its configuration summary; S3_STORAGE_CLASS's default when it has none.</summary>
    private static string RecordedStorageClass(IReadOnlyDictionary<string, string> summary) =>
        summary.TryGetValue(StorageClass, out string? storageClass) && storageClass.Length > 0 ? storageClass : S3StorageClasses.DeepArchive;

    /// <summary>S3_PREFIX may be "" (keys at the bucket's root), which the generic string reader rejects.</summary>
    private static string PrefixValue(ConfigValueReader read, JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() == ""
            ? ""
            : read.String(Prefix, value, "a key prefix such as \"autoglacier/\"") ?? S3VaultOptions.DefaultPrefix;

    private static IEnumerable<string> Check(GteuConfig config, bool selected)
    {
        if (selected && string.IsNullOrWhiteSpace(config.S3Bucket))
        {
            yield return $"{Bucket} is required with {ConfigKeys.Backend} \"s3\"; allowed: the name of an existing bucket.";
        }
        else if (config.S3Bucket is { } bucket && !BucketPattern().IsMatch(bucket))
        {
            yield return $"{Bucket} = \"{bucket}\" is not a valid bucket name; allowed: 3–63 characters from a–z, 0–9, '.', '-'.";
        }

        if (config.S3Prefix is null || config.S3Prefix.Length > 512 || config.S3Prefix.Any(char.IsControl))
        {
            yield return $"{Prefix} = \"{config.S3Prefix}\" is not usable; allowed: up to 512 characters without control characters (e.g. \"autoglacier/\").";
        }

        if (!S3StorageClasses.All.Contains(config.S3StorageClass))
        {
            yield return $"{StorageClass} = \"{config.S3StorageClass}\" is not supported; allowed: {string.Join(", ", S3StorageClasses.All)}.";
        }

        if (CheckCatalogStorageClass(CatalogStorageClassOf(config)) is { } catalogProblem)
        {
            yield return catalogProblem;
        }

        if (config.RestoreDays is < 1 or > 365)
        {
            yield return $"{RestoreDays} = {config.RestoreDays} is out of range; allowed: 1–365.";
        }
    }

    /// <summary>Catalogs must be readable at once: <c>recover</c> reads every one, and a cold class would make it wait hours per catalog.</summary>
    private static string? CheckCatalogStorageClass(string storageClass)
    {
        if (S3StorageClasses.Instant.Contains(storageClass))
        {
            return null;
        }

        string allowed = string.Join(", ", S3StorageClasses.Instant);
        return S3StorageClasses.NeedsRestore(storageClass)
            ? $"{CatalogStorageClass} = \"{storageClass}\" is not allowed: a snapshot catalog must be readable without a restore request " +
              $"(`autoglacier recover` reads every catalog; in {storageClass} each would wait hours for a restore, and a catalog is only a few MB); allowed: {allowed}."
            : $"{CatalogStorageClass} = \"{storageClass}\" is not supported; allowed: {allowed}.";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketPattern();
}
