using System.Globalization;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;

namespace AutoGlacier;

/// <summary>Deletes a run's archive from its vault and records the deletion in the run's log entry.</summary>
public static class RunDeletion
{
    /// <summary>BackendState key holding when the archive was deleted (ISO 8601 UTC).</summary>
    public const string DeletedAtKey = "deleted_at";

    /// <summary>Glacier (and S3 GLACIER) bill archives deleted before this many days for the rest of them.</summary>
    public const int MinimumStorageDays = 90;

    /// <summary>
    /// Deletes the archive of run <paramref name="runKey"/>. Returns the archive id and, for cloud backends when the
    /// archive is younger than <see cref="MinimumStorageDays"/> days, a warning about the early-deletion charge.
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

        IVault vault = VaultFactory.Create(config);
        try
        {
            await vault.DeleteAsync(archiveId, cancellationToken).ConfigureAwait(false);
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
        return (archiveId, EarlyDeletionWarning(record));
    }

    private static string? EarlyDeletionWarning(RunRecord record)
    {
        double age = (DateTimeOffset.UtcNow - record.StartedAt).TotalDays;
        return record.Backend != "local" && age < MinimumStorageDays
            ? $"The archive was {age:F0} days old: Glacier charges archives deleted before {MinimumStorageDays} days for the remaining {MinimumStorageDays - age:F0} days."
            : null;
    }
}
