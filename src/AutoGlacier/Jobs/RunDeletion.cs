using System.Globalization;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;

namespace AutoGlacier;

/// <summary>Deletes a run's archive from its vault and records the deletion in the run's log entry.</summary>
internal static class RunDeletion
{
    /// <summary>BackendState key holding when the archive was deleted (ISO 8601 UTC).</summary>
    public const string DeletedAtKey = "deleted_at";

    /// <summary>Glacier vaults (and S3 GLACIER and GLACIER_IR) bill archives deleted before this many days for the rest of them.</summary>
    public const int MinimumStorageDays = 90;

    /// <summary>
    /// Deletes the archive of run <paramref name="runKey"/>. Returns the archive id and, when the archive is younger
    /// than its storage's minimum billable duration (<see cref="MinimumStorageDaysOf"/>), a warning about the
    /// early-deletion charge.
    /// </summary>
    /// <exception cref="AutoGlacierException">The run is not in the log or has no archive.</exception>
    /// <exception cref="ArchiveNotFoundException">The vault no longer has the archive.</exception>
    public static async Task<(string ArchiveId, string? Warning)> DeleteAsync(GteuConfig config, string runKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var log = new JsonRunLog(config.JsonDatabase);
        RunRecord record = await log.GetRunAsync(runKey, cancellationToken).ConfigureAwait(false)
            ?? throw new AutoGlacierException($"Run {runKey} is not in the log {config.JsonDatabase}; see 'autoglacier list'.");
        string archiveId = record.ArchiveId
            ?? throw new AutoGlacierException($"Run {runKey} has no archive (status {record.Status}); nothing to delete.");
        if (record.BackendState.TryGetValue(DeletedAtKey, out string? deletedAt))
        {
            throw new AutoGlacierException($"The archive {archiveId} of run {runKey} was already deleted at {deletedAt}.");
        }

        await RefuseWhileReferencedAsync(log, runKey, cancellationToken).ConfigureAwait(false);

        IVault vault = VaultFactory.Create(config);
        try
        {
            await vault.DeleteAsync(archiveId, cancellationToken).ConfigureAwait(false);
            if (record.Snapshot?.CatalogArchiveId is { } catalogId)
            {
                await DeleteCatalogAsync(vault, catalogId, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            (vault as IDisposable)?.Dispose();
        }

        var backendState = new Dictionary<string, string>(record.BackendState)
        {
            [DeletedAtKey] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        await log.UpdateRunAsync(runKey, record with { BackendState = backendState }, cancellationToken).ConfigureAwait(false);
        return (archiveId, EarlyDeletionWarning(record, DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// A snapshot whose chain passes through the run needs its archive to be restored: deleting it would silently
    /// break every such snapshot, so it is refused with the list of them.
    /// </summary>
    private static async Task RefuseWhileReferencedAsync(JsonRunLog log, string runKey, CancellationToken cancellationToken)
    {
        var runs = (await log.ListRunsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        var dependents = runs.Where(r => r.Key != runKey && Snapshots.SnapshotCatalogs.IsUsable(r.Value) && BuildsOn(r.Key, runKey, runs))
            .Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        if (dependents.Count > 0)
        {
            throw new AutoGlacierException(
                $"Run {runKey} cannot be deleted: the snapshots of {dependents.Count} later run(s) build on it and need its archive to be restored " +
                $"({string.Join(", ", dependents.Take(10))}{(dependents.Count > 10 ? ", …" : "")}). Delete them first, newest first; " +
                "runs after the next full snapshot (FULL_EVERY, or backup --full) do not need it.");
        }
    }

    private static bool BuildsOn(string runKey, string baseKey, IReadOnlyDictionary<string, RunRecord> runs)
    {
        try
        {
            return Snapshots.SnapshotCatalogs.ChainOf(runKey, runs).Contains(baseKey);
        }
        catch (Snapshots.CatalogException)
        {
            return false; // a broken chain cannot be restored anyway
        }
    }

    /// <summary>The run's catalog goes with its archive; one already gone is not an error.</summary>
    private static async Task DeleteCatalogAsync(IVault vault, string catalogId, CancellationToken cancellationToken)
    {
        try
        {
            await vault.DeleteAsync(catalogId, cancellationToken).ConfigureAwait(false);
        }
        catch (ArchiveNotFoundException)
        {
        }
    }

    /// <summary>
    /// The minimum billable storage duration of a run's archive, in days, or null when there is none, as its backend
    /// states it for the settings the run recorded (<see cref="VaultCapabilities.MinimumStorageDays"/>): Glacier vaults
    /// 90; S3 by the storage class in the run's configuration summary (S3_STORAGE_CLASS): DEEP_ARCHIVE 180, GLACIER and
    /// GLACIER_IR 90, STANDARD_IA 30, STANDARD none; the local vault none.
    /// </summary>
    public static int? MinimumStorageDaysOf(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return BackendRegistry.CapabilitiesOfRun(record)?.MinimumStorageDays;
    }

    /// <summary>The warning for deleting <paramref name="record"/>'s archive at <paramref name="now"/>, or null when it costs nothing extra.</summary>
    internal static string? EarlyDeletionWarning(RunRecord record, DateTimeOffset now)
    {
        if (BackendRegistry.CapabilitiesOfRun(record) is not { MinimumStorageDays: { } minimum } storage)
        {
            return null;
        }

        double age = Math.Max(0, (now - record.StartedAt).TotalDays);
        if (age >= minimum)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"The archive was {Math.Floor(age):F0} days old: {storage.StorageName} bills objects deleted before {minimum} days for the remaining {Math.Ceiling(minimum - age):F0} days.");
    }
}
