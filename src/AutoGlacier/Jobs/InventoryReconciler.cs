using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;

namespace AutoGlacier;

/// <summary>
/// Lists the configured vault (for S3: every object under S3_PREFIX, page by page; for Glacier: an
/// inventory-retrieval job, reused while recent) and compares it with the runs of the same backend in the JSON log.
/// </summary>
/// <remarks>
/// Glacier's inventory is refreshed about once a day, so runs from the last day may show as missing; a pending
/// inventory job raises <see cref="Vaults.Glacier.InventoryPendingException"/> (the CLI exits with
/// <see cref="ExitCodes.Pending"/>).
/// </remarks>
internal static class InventoryReconciler
{
    /// <summary>Lists the vault and compares it with the log.</summary>
    public static async Task<InventoryReport> ReconcileAsync(GteuConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var log = new JsonRunLog(config.JsonDatabase);
        var runs = File.Exists(log.Path) ? await log.ListRunsAsync(cancellationToken).ConfigureAwait(false) : [];
        IVault vault = VaultFactory.Create(config);
        var archives = new List<VaultArchive>();
        try
        {
            await foreach (VaultArchive archive in vault.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                archives.Add(archive);
            }

            return Compare(runs.Where(r => r.Value.Backend == vault.BackendName).ToList(), archives) with { VaultCapabilities = vault.Capabilities };
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
