using AutoGlacier.Vaults.S3;
using AutoGlacier.Vaults.Glacier;
using System.Globalization;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Restore;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Migration;

/// <summary>
/// <c>autoglacier migrate</c>: moves runs stored in a Glacier vault (ours and the Python seed's) to the S3 backend of
/// another configuration. Each archive is retrieved (Bulk unless told), streamed into S3 still encrypted (no private
/// key is needed), checked against the log, and its new location recorded in the run with the old one kept in the
/// run's history. A snapshot run's catalog follows its archive, byte for byte, into the S3 catalogs folder, so that
/// <c>recover</c> works from S3 alone and the migrated chain goes on as the S3 configuration's series. The vault copy is deleted only when asked, only after the S3 copy is verified, and never before
/// the vault's 90-day minimum unless that is allowed too.
/// </summary>
public static class MigrationRunner
{
    /// <summary>Moves (or, with <see cref="MigrationRequest.PlanOnly"/>, plans) the runs asked for.</summary>
    /// <exception cref="RetrievalPendingException">A retrieval is not ready and the request does not wait: run again later.</exception>
    public static async Task<MigrationResult> RunAsync(MigrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Target.Backend != "s3")
        {
            throw new ConfigurationException($"The configuration to migrate to uses BACKEND {request.Target.Backend}; migrate moves archives into S3: set BACKEND s3 there.");
        }
        var log = new JsonRunLog(request.Source.JsonDatabase);
        var runs = await SelectAsync(log, request, cancellationToken).ConfigureAwait(false);
        var moved = new List<MigratedRun>();
        foreach (var (key, record) in runs)
        {
            moved.Add(request.PlanOnly ? Planned(key, record, request) : await MoveAsync(log, key, record, request, cancellationToken).ConfigureAwait(false));
        }
        return new MigrationResult(moved);
    }

    /// <summary>The runs a migration moves: stored in a Glacier vault, not deleted there, or moved with their snapshot catalog left behind.</summary>
    private static async Task<List<KeyValuePair<string, RunRecord>>> SelectAsync(JsonRunLog log, MigrationRequest request, CancellationToken cancellationToken)
    {
        var all = File.Exists(log.Path) ? await log.ListRunsAsync(cancellationToken).ConfigureAwait(false) : [];
        if (request.All) { return all.Where(r => ToMove(r.Value, request)).ToList(); }
        if (request.RunKeys.Count == 0) { throw new AutoGlacierException("Name the runs to move: --run KEY (repeatable) or --all."); }
        var chosen = new List<KeyValuePair<string, RunRecord>>();
        foreach (string key in request.RunKeys)
        {
            var run = all.FirstOrDefault(r => r.Key == key);
            if (run.Value is null) { throw new AutoGlacierException($"Run '{key}' is not in the log {log.Path}; see 'autoglacier list'."); }
            if (!ToMove(run.Value, request))
            {
                throw new AutoGlacierException($"Run '{key}' is not stored in a Glacier vault (backend {run.Value.Backend}, archive {run.Value.ArchiveId ?? "none"}" +
                    $"{(run.Value.BackendState.ContainsKey(RunDeletion.DeletedAtKey) ? ", deleted" : "")}); there is nothing to move.");
            }
            chosen.Add(run);
        }
        return chosen;
    }

    private static bool ToMove(RunRecord record, MigrationRequest request) =>
        InVault(record) || CatalogLeft(record) || (request.DeleteSource && SourceLeft(record));

    private static bool InVault(RunRecord record) =>
        record.Backend == "glacier" && record.ArchiveId is not null && !record.BackendState.ContainsKey(RunDeletion.DeletedAtKey);

    /// <summary>
    /// The archive moved, its snapshot catalog not yet: the catalog's retrieval was still pending, or the run was
    /// moved by a migrate that did not move catalogs. A run without a snapshot (logged before snapshots, the seed's)
    /// has no catalog to move.
    /// </summary>
    private static bool CatalogLeft(RunRecord record) =>
        record.Backend == "s3" && record.Snapshot?.CatalogArchiveId is not null && !record.BackendState.ContainsKey(RunDeletion.DeletedAtKey)
        && record.BackendState.ContainsKey(MigrationState.MovedFromArchiveKey) && !record.BackendState.ContainsKey(MigrationState.MovedFromCatalogKey);

    /// <summary>Moved earlier with the vault copy kept (e.g. younger than 90 days then).</summary>
    private static bool SourceLeft(RunRecord record) =>
        record.BackendState.ContainsKey(MigrationState.MovedFromArchiveKey) && !record.BackendState.ContainsKey(MigrationState.SourceDeletedAtKey);

    private static MigratedRun Planned(string key, RunRecord record, MigrationRequest request)
    {
        if (!InVault(record) && CatalogLeft(record))
        {
            var vault = SourceVault(request.Source, record);
            return new(key, $"{vault.RegionName}/{vault.VaultName} catalog {record.Snapshot!.CatalogArchiveId}", null, record.Snapshot.CatalogSize ?? -1, 0, 0, false,
                "the archive is in S3 already; its snapshot catalog moves");
        }
        string? catalog = record.Snapshot?.CatalogArchiveId is not null ? $"with its snapshot catalog ({record.Snapshot.CatalogSize} bytes)" : null;
        string? resumes = MigrationState.From(record) is { } state ? $"resumes: {state.Parts.Count} part(s) already in S3" : null;
        return new(key, $"{record.VaultLocation} archive {record.ArchiveId}", null, record.ArchiveSize ?? -1, 0, 0, false,
            catalog is null && resumes is null ? null : string.Join("; ", new[] { catalog, resumes }.OfType<string>()));
    }

    private static async Task<MigratedRun> MoveAsync(JsonRunLog log, string key, RunRecord record, MigrationRequest request, CancellationToken cancellationToken)
    {
        var vaultConfig = SourceVault(request.Source, record);
        IVault source = VaultFactory.Create(vaultConfig);
        IVault s3 = VaultFactory.Create(request.Target);
        try
        {
            var move = new RunMove(log, key, request, vaultConfig, source, s3);
            if (!InVault(record) && !CatalogLeft(record))
            {
                var (gone, why) = await DeleteSourceAsync(move, record, record with { ArchiveId = record.BackendState[MigrationState.MovedFromArchiveKey] },
                    cancellationToken).ConfigureAwait(false);
                return new MigratedRun(key, $"{vaultConfig.RegionName}/{vaultConfig.VaultName} archive {record.BackendState[MigrationState.MovedFromArchiveKey]}",
                    record.ArchiveLocation, record.ArchiveSize ?? -1, 0, 0, gone, why);
            }
            RunRecord before = record;
            (RunRecord moved, ArchiveTransfer? archive) = InVault(record) ? await MoveArchiveAsync(move, record, cancellationToken).ConfigureAwait(false) : (record, null);
            (RunRecord done, MovedCopy? catalog) = CatalogLeft(moved) ? await MoveCatalogAsync(move, moved, cancellationToken).ConfigureAwait(false) : (moved, null);
            var (deleted, note) = await DeleteSourceAsync(move, done, InVault(before) ? before : done with { ArchiveId = done.BackendState[MigrationState.MovedFromArchiveKey] },
                cancellationToken).ConfigureAwait(false);
            var catalogTo = catalog?.Stored.Location;
            if (archive is null)
            {
                // Only the catalog moved now (its retrieval was pending before, or an earlier migrate left it).
                return new MigratedRun(key, $"{vaultConfig.RegionName}/{vaultConfig.VaultName} catalog {done.BackendState[MigrationState.MovedFromCatalogKey]}",
                    catalogTo, catalog!.Stored.Size, catalog.Transfer.BytesDownloaded, catalog.Transfer.PartsUploaded, deleted, note)
                {
                    CatalogTo = catalogTo, CatalogBytesDownloaded = catalog.Transfer.BytesDownloaded,
                };
            }
            return new MigratedRun(key, $"{before.VaultLocation} archive {before.ArchiveId}", done.ArchiveLocation, done.ArchiveSize ?? -1,
                archive.BytesDownloaded, archive.PartsUploaded, deleted, note)
            {
                CatalogTo = catalogTo, CatalogBytesDownloaded = catalog?.Transfer.BytesDownloaded ?? 0,
            };
        }
        finally
        {
            (source as IDisposable)?.Dispose();
            (s3 as IDisposable)?.Dispose();
        }
    }

    /// <summary>Retrieves the run's archive (its snapshot catalog's retrieval requested at the same time), moves it, and records it in S3.</summary>
    private static async Task<(RunRecord Moved, ArchiveTransfer Transfer)> MoveArchiveAsync(RunMove move, RunRecord record, CancellationToken cancellationToken)
    {
        if (record.Snapshot?.CatalogArchiveId is { } catalogId)
        {
            // Both retrievals run side by side: a catalog requested only once the archive is in S3 would add hours.
            await RequestOnlyAsync(move, record, catalogId, cancellationToken).ConfigureAwait(false);
        }
        await new RetrievalWaiter(move.VaultConfig, move.Request.Retrieval, move.Request.Logger)
            .EnsureReadableAsync(move.Source, move.Log, move.Key, record, record.ArchiveId!, cancellationToken).ConfigureAwait(false);
        record = await move.Log.GetRunAsync(move.Key, cancellationToken).ConfigureAwait(false) ?? record;
        var transfer = new ArchiveTransfer(move.Log, move.Key, MovedObject.ArchiveOf(record), move.Source, move.Multipart, move.Request.Source.TmpDir,
            move.Request.Progress);
        var (stored, sha, tree) = await transfer.RunAsync(record, cancellationToken).ConfigureAwait(false);
        var moved = await RecordMoveAsync(move, stored, sha, tree, cancellationToken).ConfigureAwait(false);
        move.Request.Logger.LogInformation("Run {RunKey}: moved {Bytes} bytes from {From} archive {ArchiveId} to {To}", move.Key, stored.Size,
            record.VaultLocation, record.ArchiveId, stored.Location);
        return (moved, transfer);
    }

    /// <summary>Asks for the catalog's retrieval (recording its job) without waiting for it.</summary>
    private static async Task RequestOnlyAsync(RunMove move, RunRecord record, string catalogId, CancellationToken cancellationToken)
    {
        try
        {
            await move.CatalogWaiter(move.Request.Retrieval with { Wait = false })
                .EnsureReadableAsync(move.Source, move.Log, move.Key, record, catalogId, cancellationToken).ConfigureAwait(false);
        }
        catch (RetrievalPendingException)
        {
            // Expected: it is waited for once the archive is in S3.
        }
    }

    /// <summary>
    /// Moves the run's snapshot catalog, byte for byte as the vault holds it (still encrypted to the run's own
    /// recipients), into the S3 catalogs folder, and records its S3 id in the run's snapshot, the old one in its history.
    /// </summary>
    private static async Task<(RunRecord Moved, MovedCopy? Catalog)> MoveCatalogAsync(RunMove move, RunRecord record, CancellationToken cancellationToken)
    {
        var catalog = MovedObject.CatalogOf(record);
        // The catalog is still in the Glacier vault: its tiers apply, not those of the archive's new storage class.
        await move.CatalogWaiter(move.Request.Retrieval)
            .EnsureReadableAsync(move.Source, move.Log, move.Key, record with { Backend = "glacier" }, catalog.Id, cancellationToken).ConfigureAwait(false);
        record = await move.Log.GetRunAsync(move.Key, cancellationToken).ConfigureAwait(false) ?? record;
        var transfer = new ArchiveTransfer(move.Log, move.Key, catalog, move.Source, move.Multipart, move.Request.Source.TmpDir, move.Request.Progress);
        var (stored, _, _) = await transfer.RunAsync(record, cancellationToken).ConfigureAwait(false);
        var current = await move.Log.GetRunAsync(move.Key, cancellationToken).ConfigureAwait(false)
            ?? throw new AutoGlacierException($"Run {move.Key} disappeared from the log {move.Log.Path} while its catalog was being moved; the S3 copy is {stored.Location}.");
        var state = TransferKeys.Catalog.Cleared(current.BackendState);
        state[MigrationState.MovedFromCatalogKey] = catalog.Id;
        AddHistory(state, $"{Stamp(move.Request.Clock.GetUtcNow())} catalog moved from {move.Source.Location} catalog {catalog.Id} ({stored.Location})");
        var moved = current with
        {
            Snapshot = current.Snapshot! with { CatalogArchiveId = stored.ArchiveId, CatalogSize = stored.Size },
            BackendState = state,
        };
        await move.Log.UpdateRunAsync(move.Key, moved, cancellationToken).ConfigureAwait(false);
        move.Request.Logger.LogInformation("Run {RunKey}: moved its snapshot catalog ({Bytes} bytes) from {From} to {To}", move.Key, stored.Size, catalog.Id, stored.Location);
        return (moved, new MovedCopy(stored, transfer));
    }

    /// <summary>The vault a run is in: its own region and vault name (seed runs each name theirs), with the source's credentials.</summary>
    private static GteuConfig SourceVault(GteuConfig config, RunRecord record) => config with
    {
        Backend = "glacier",
        RegionName = record.BackendState.GetValueOrDefault(MigrationState.MovedFromRegionKey) ?? record.Region
            ?? record.Config.GetValueOrDefault(ConfigKeys.RegionName) ?? config.RegionName,
        VaultName = record.Config.GetValueOrDefault(GlacierBackend.VaultName) ?? config.VaultName,
    };

    /// <summary>The run now lives in S3; where it was goes into its history (a seed run's own record stays as the seed wrote it).</summary>
    private static async Task<RunRecord> RecordMoveAsync(RunMove move, StoredArchive stored, string sha, string tree, CancellationToken cancellationToken)
    {
        var current = await move.Log.GetRunAsync(move.Key, cancellationToken).ConfigureAwait(false)
            ?? throw new AutoGlacierException($"Run {move.Key} disappeared from the log {move.Log.Path} while it was being moved; the S3 copy is {stored.Location}.");
        var state = MigrationState.Cleared(current.BackendState);
        AddHistory(state, $"{Stamp(move.Request.Clock.GetUtcNow())} moved from {current.VaultLocation} archive {current.ArchiveId} ({current.ArchiveLocation})");
        state[MigrationState.MovedFromArchiveKey] = current.ArchiveId!;
        if (current.Region is { } region) { state[MigrationState.MovedFromRegionKey] = region; }
        var config = new SortedDictionary<string, string>(current.Config.ToDictionary(), StringComparer.Ordinal)
        {
            [ConfigKeys.Backend] = "s3",
            [S3Backend.StorageClass] = move.Request.Target.S3StorageClass,
        };
        var moved = current with
        {
            Backend = "s3", VaultLocation = move.S3.Location, Region = move.Request.Target.RegionName, ArchiveId = stored.ArchiveId,
            ArchiveLocation = stored.Location, ArchiveSize = stored.Size, ArchiveSha256 = sha, ArchiveTreeHash = tree,
            Config = config, BackendState = state, UploadParts = null,
        };
        await move.Log.UpdateRunAsync(move.Key, moved, cancellationToken).ConfigureAwait(false);
        return moved;
    }

    /// <summary>Appends a line to the run's location history (newest last).</summary>
    private static void AddHistory(Dictionary<string, string> state, string line) =>
        state[MigrationState.HistoryKey] = state.TryGetValue(MigrationState.HistoryKey, out var history) ? history + "\n" + line : line;

    /// <summary>
    /// With <see cref="MigrationRequest.DeleteSource"/>, deletes the vault copies of the run's archive and, once it
    /// moved, of its snapshot catalog; never before the vault's 90-day minimum unless early deletion is allowed.
    /// </summary>
    private static async Task<(bool Deleted, string? Note)> DeleteSourceAsync(RunMove move, RunRecord moved, RunRecord before, CancellationToken cancellationToken)
    {
        var request = move.Request;
        if (!request.DeleteSource) { return (false, null); }
        DateTimeOffset created = before.EndedAt ?? before.StartedAt;
        DateTimeOffset allowed = created.AddDays(RunDeletion.MinimumStorageDays);
        if (request.Clock.GetUtcNow() < allowed && !request.AllowEarlyDeletion)
        {
            return (false, $"vault copy kept: it is younger than the vault's {RunDeletion.MinimumStorageDays}-day minimum (deleting it now is billed as if kept until " +
                $"{Stamp(allowed)}); run migrate --delete-source again after that, or add --allow-early-deletion");
        }
        await DeleteIfThereAsync(move.Source, before.ArchiveId!, cancellationToken).ConfigureAwait(false);
        if (moved.BackendState.GetValueOrDefault(MigrationState.MovedFromCatalogKey) is { } catalogId)
        {
            await DeleteIfThereAsync(move.Source, catalogId, cancellationToken).ConfigureAwait(false);
        }
        var state = new Dictionary<string, string>(moved.BackendState) { [MigrationState.SourceDeletedAtKey] = Stamp(request.Clock.GetUtcNow()) };
        await move.Log.UpdateRunAsync(move.Key, moved with { BackendState = state }, cancellationToken).ConfigureAwait(false);
        return (true, null);
    }

    /// <summary>Deletes a vault copy; one already gone (a run killed between the deletion and the log's update) is fine.</summary>
    private static async Task DeleteIfThereAsync(IVault source, string id, CancellationToken cancellationToken)
    {
        try
        {
            await source.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (ArchiveNotFoundException)
        {
            // Deleted by an earlier run that stopped before the log said so.
        }
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An object copied into S3 and the transfer that copied it.</summary>
    private sealed record MovedCopy(StoredArchive Stored, ArchiveTransfer Transfer);

    /// <summary>One run being moved: the log, the request, the vault it is in (with its configuration) and the S3 vault it goes to.</summary>
    private sealed record RunMove(JsonRunLog Log, string Key, MigrationRequest Request, GteuConfig VaultConfig, IVault Source, IVault S3)
    {
        public IMultipartBackend Multipart => ((IMultipartVault)S3).Multipart;

        /// <summary>Retrieves the snapshot catalog, its job kept in the run beside the archive's.</summary>
        public RetrievalWaiter CatalogWaiter(RetrievalOptions options) =>
            new(VaultConfig, options, Request.Logger, statePrefix: TransferKeys.Catalog.Retrieval);
    }
}
