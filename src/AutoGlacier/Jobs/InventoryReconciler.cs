using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;

namespace AutoGlacier;

/// <summary>
/// Lists the configured vault (for S3: every object under S3_PREFIX, page by page; for Glacier: an
/// inventory-retrieval job, reused while recent, optionally waited for) and compares it with the runs of the same
/// backend in the JSON log, reporting <see cref="InventoryProgress"/>.
/// </summary>
/// <remarks>
/// Glacier's inventory is refreshed about once a day, so runs from the last day may show as missing; a pending
/// inventory job raises <see cref="Vaults.Glacier.InventoryPendingException"/> (the CLI exits with
/// <see cref="ExitCodes.Pending"/>) unless <see cref="InventoryWait.Wait"/> says to wait for it.
/// </remarks>
internal static class InventoryReconciler
{
    /// <summary>Lists the vault (waiting for Glacier's inventory job as <paramref name="wait"/> says) and compares it with the log.</summary>
    /// <param name="config">The configuration whose log and vault are compared.</param>
    /// <param name="wait">Whether to wait for an inventory job that is not finished, how often to check, and how long at most.</param>
    /// <param name="progress">Receives the wait, the listing and the final counts; null for none.</param>
    /// <param name="cancellationToken">Cancels the listing or the wait.</param>
    /// <exception cref="Vaults.Glacier.InventoryPendingException">The job is not finished, and not waiting (or the maximum wait ran out).</exception>
    public static async Task<InventoryReport> ReconcileAsync(GteuConfig config, InventoryWait wait, IProgress<InventoryProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(wait);
        var log = new JsonRunLog(config.JsonDatabase);
        var runs = File.Exists(log.Path) ? await log.ListRunsAsync(cancellationToken).ConfigureAwait(false) : [];
        IVault vault = VaultFactory.Create(config);
        try
        {
            var ours = runs.Where(r => r.Value.Backend == vault.BackendName).ToList();
            var listing = new InventoryListing(vault, wait, progress, ours.Count);
            List<VaultArchive> archives = await listing.ListAsync(cancellationToken).ConfigureAwait(false);
            InventoryReport report = Compare(ours, archives) with { VaultCapabilities = vault.Capabilities };
            listing.Done(report);
            return report;
        }
        finally
        {
            (vault as IDisposable)?.Dispose();
        }
    }

    private static InventoryReport Compare(List<KeyValuePair<string, RunRecord>> runs, List<VaultArchive> archives)
    {
        var byId = archives.ToDictionary(a => a.ArchiveId, StringComparer.Ordinal);
        var stored = runs.Where(r => r.Value.ArchiveId is not null && !r.Value.BackendState.ContainsKey(RunDeletion.DeletedAtKey)).ToList();
        // A run's snapshot catalog is its second object in the vault: known, not "unknown to the log".
        var known = new HashSet<string>(runs.SelectMany(r => new[] { r.Value.ArchiveId, r.Value.Snapshot?.CatalogArchiveId }).OfType<string>(), StringComparer.Ordinal);
        return new InventoryReport(
            archives.Count,
            archives.Where(a => !known.Contains(a.ArchiveId)).ToList(),
            stored.Where(r => !byId.ContainsKey(r.Value.ArchiveId!)).Select(r => (r.Key, r.Value.ArchiveId!)).ToList(),
            stored.Where(r => byId.TryGetValue(r.Value.ArchiveId!, out VaultArchive? a) && r.Value.ArchiveSize is { } size && size != a.Size)
                .Select(r => (r.Key, r.Value.ArchiveId!, r.Value.ArchiveSize!.Value, byId[r.Value.ArchiveId!].Size)).ToList());
    }
}
