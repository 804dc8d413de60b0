using System.Globalization;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Vaults;

namespace AutoGlacier.Recovery;

/// <summary>
/// The run record <c>recover</c> writes for a run the log lacks: a succeeded run as its catalog header and the vault
/// listing describe it, marked as recovered in its backend state. What only the lost log knew (the archive's
/// SHA-256 and tree hash, the run's warnings, skipped files, end time) stays unknown (null or empty), never guessed.
/// </summary>
internal sealed class RecoveredRunRecord(GteuConfig config, IVault vault, DateTimeOffset now)
{
    /// <summary>Backend-state key: when the run was recovered (ISO 8601 UTC).</summary>
    public const string RecoveredAtKey = "recovered_at";

    /// <summary>Backend-state key: the vault catalog the run was recovered from.</summary>
    public const string RecoveredFromKey = "recovered_from_catalog";

    /// <summary>
    /// Backend-state key: the archive id the run's catalog (and those of the snapshots based on it) names, when the
    /// vault holds the run's archive under another id (it was migrated: the catalogs keep the id it had first).
    /// </summary>
    public const string CatalogArchiveKey = "archive_id_in_catalogs";

    /// <summary>The record of the run that <paramref name="catalog"/> (read as <paramref name="header"/> and <paramref name="counts"/>) describes.</summary>
    public RunRecord Build(CatalogHeader header, CatalogCounts counts, VaultArchive archive, VaultArchive catalog, string catalogSha256) => new()
    {
        Status = RunStatus.Succeeded,
        StartedAt = header.StartedAt,
        Description = archive.Description ?? catalog.Description ?? "",
        Job = header.Series.Job.Length > 0 ? header.Series.Job : null,
        Backend = vault.BackendName,
        VaultLocation = vault.Location,
        Region = vault.Capabilities.UsesRegion ? config.RegionName : null,
        ArchiveId = archive.ArchiveId,
        ArchiveSize = archive.Size,
        PlaintextSize = counts.StoredBytes,
        Compression = config.Compression,
        FilesStored = (int)Math.Min(counts.Stored, int.MaxValue),
        Config = config.Summary(),
        Snapshot = new RunSnapshot
        {
            Series = header.Series.Job,
            Kind = SnapshotCatalogs.NameOf(header.Kind),
            Base = header.Base,
            Reason = "recovered from the vault's catalog",
            // A full's catalog is its whole listing; an incremental's complete count needs its chain, so it stays 0.
            Entries = header.Kind == SnapshotKind.Full ? counts.Lines - counts.Removed : 0,
            Referenced = counts.Referenced,
            Stored = counts.Stored,
            Removed = counts.Removed,
            CatalogEntries = counts.Lines,
            CatalogArchiveId = catalog.ArchiveId,
            CatalogSize = catalog.Size,
            CatalogSha256 = catalogSha256,
        },
        BackendState = StateOf(counts, archive, catalog),
    };

    /// <summary>Marked recovered, from which catalog; and the archive id the catalogs name when the vault's differs.</summary>
    private Dictionary<string, string> StateOf(CatalogCounts counts, VaultArchive archive, VaultArchive catalog)
    {
        var state = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RecoveredAtKey] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            [RecoveredFromKey] = catalog.ArchiveId,
        };
        if (counts.ArchiveId is { } named && named != archive.ArchiveId)
        {
            state[CatalogArchiveKey] = named;
        }

        return state;
    }
}
