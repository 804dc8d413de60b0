using System.Globalization;
using AutoGlacier.Log;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Migration;

/// <summary>
/// Where in a run's backend state one object's move keeps its progress: the archive's under <c>migration_</c> (its
/// retrieval under <c>retrieval_</c>, where restore keeps it too), the snapshot catalog's under
/// <c>catalog_migration_</c> and <c>catalog_retrieval_</c>, so both can be under way at once and each is cleared on
/// its own.
/// </summary>
internal sealed record TransferKeys(string Migration, string Retrieval)
{
    /// <summary>The run's archive.</summary>
    public static readonly TransferKeys Archive = new("migration_", "retrieval_");

    /// <summary>The run's snapshot catalog.</summary>
    public static readonly TransferKeys Catalog = new("catalog_migration_", "catalog_retrieval_");

    public string UploadId => Migration + "upload_id";
    public string Target => Migration + "target";
    public string PartSize => Migration + "part_size";
    public string Parts => Migration + "parts";

    /// <summary>The backend state without this object's move in progress nor its retrieval in the old vault.</summary>
    public Dictionary<string, string> Cleared(IReadOnlyDictionary<string, string> state) =>
        state.Where(kv => !kv.Key.StartsWith(Migration, StringComparison.Ordinal) && !kv.Key.StartsWith(Retrieval, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}

/// <summary>
/// A move in progress, kept in the run's backend state so a killed migration resumes: the S3 multipart upload (id,
/// object key, part size) and every part S3 acknowledged (S3 servers without ListParts, like s3rver, cannot tell).
/// </summary>
internal sealed record MigrationState(string UploadId, string Target, long PartSize, IReadOnlyDictionary<int, UploadedPart> Parts)
{
    public const string UploadIdKey = "migration_upload_id";
    public const string TargetKey = "migration_target";
    public const string PartSizeKey = "migration_part_size";
    public const string PartsKey = "migration_parts";

    /// <summary>Where the run's archive was before it moved, and when it moved (newest last, one per line).</summary>
    public const string HistoryKey = "location_history";

    /// <summary>The archive id in the Glacier vault the run moved from.</summary>
    public const string MovedFromArchiveKey = "moved_from_archive_id";

    /// <summary>The snapshot catalog's id in the Glacier vault the run moved from (set once the catalog moved too).</summary>
    public const string MovedFromCatalogKey = "moved_from_catalog_id";

    /// <summary>The region of the Glacier vault the run moved from (VAULT_NAME stays in the run's configuration summary).</summary>
    public const string MovedFromRegionKey = "moved_from_region";

    /// <summary>When the vault copy the run moved from was deleted.</summary>
    public const string SourceDeletedAtKey = "moved_from_deleted_at";

    /// <summary>Which object of the run this move is of.</summary>
    public TransferKeys Keys { get; init; } = TransferKeys.Archive;

    public MultipartTicket Ticket => new(UploadId, Target, PartSize);

    /// <summary>The archive's move recorded in <paramref name="record"/>, or null when none is under way.</summary>
    public static MigrationState? From(RunRecord record) => From(record, TransferKeys.Archive);

    /// <summary>The move of the object <paramref name="keys"/> name recorded in <paramref name="record"/>, or null when none is under way.</summary>
    public static MigrationState? From(RunRecord record, TransferKeys keys)
    {
        var state = record.BackendState;
        if (!state.TryGetValue(keys.UploadId, out var uploadId) || !state.TryGetValue(keys.Target, out var target)
            || !long.TryParse(state.GetValueOrDefault(keys.PartSize), NumberStyles.None, CultureInfo.InvariantCulture, out long partSize))
        {
            return null;
        }
        var parts = new Dictionary<int, UploadedPart>();
        foreach (string entry in (state.GetValueOrDefault(keys.Parts) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = entry.Split(':');
            if (f.Length == 4 && int.TryParse(f[0], CultureInfo.InvariantCulture, out int index) && long.TryParse(f[1], CultureInfo.InvariantCulture, out long length))
            {
                parts[index] = new UploadedPart(index, length, f[2].Length == 0 ? null : f[2], f[3].Length == 0 ? null : f[3]);
            }
        }
        return new MigrationState(uploadId, target, partSize, parts) { Keys = keys };
    }

    /// <summary>The record with this state written into its backend state.</summary>
    public RunRecord WriteTo(RunRecord record) => record with
    {
        BackendState = new Dictionary<string, string>(record.BackendState)
        {
            [Keys.UploadId] = UploadId,
            [Keys.Target] = Target,
            [Keys.PartSize] = PartSize.ToString(CultureInfo.InvariantCulture),
            [Keys.Parts] = string.Join(';', Parts.Values.OrderBy(p => p.Index)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Index}:{p.Length}:{p.Checksum}:{p.ETag?.Trim('"')}"))),
        },
    };

    /// <summary>The backend state without the archive's move in progress nor the old vault's retrieval.</summary>
    public static Dictionary<string, string> Cleared(IReadOnlyDictionary<string, string> state) => TransferKeys.Archive.Cleared(state);
}
