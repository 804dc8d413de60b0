using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Snapshots;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Recovery;

/// <summary>
/// <c>autoglacier recover</c>: rebuilds the log's snapshot state from the vault alone, on a machine that has only the
/// configuration and a private key. Lists the vault (Glacier: an inventory job, hours), retrieves every snapshot
/// catalog of a run the log lacks (all at once; Glacier: retrieval jobs whose ids are kept so a re-run continues),
/// decrypts and checks each, writes it as the run's local catalog and adds the run to the log, with the files it
/// stored, so <c>list</c>, <c>restore --run</c>, <c>verify --run</c> and the next incremental backup work again.
/// </summary>
/// <remarks>
/// Runs already in the log are never touched (only a lost local catalog of theirs is put back). A catalog that cannot be decrypted or is damaged is reported and
/// skipped, leaving nothing behind. Recovering twice adds nothing the second time.
/// </remarks>
public static class RecoveryRunner
{
    /// <summary>Recovers every run whose catalog the vault holds and the log lacks.</summary>
    /// <exception cref="Vaults.Glacier.InventoryPendingException">Glacier's inventory job has not finished: run recover again later.</exception>
    /// <exception cref="WrongPassphraseException">The private key's passphrase is wrong.</exception>
    public static async Task<RecoveryResult> RunAsync(RecoveryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using PrivateKey key = PrivateKey.Load(request.PrivateKeyPath, request.Passphrase);
        IVault vault = request.Vault ?? VaultFactory.Create(request.Config);
        try
        {
            return await RecoverAsync(request, vault, key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (request.Vault is null && vault is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<RecoveryResult> RecoverAsync(RecoveryRequest request, IVault vault, PrivateKey key, CancellationToken cancellationToken)
    {
        var listing = new List<VaultArchive>();
        await foreach (VaultArchive item in vault.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            listing.Add(item);
        }

        var log = new JsonRunLog(request.Config.JsonDatabase);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(log.Path))!);
        var runs = File.Exists(log.Path)
            ? (await log.ListRunsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal)
            : new Dictionary<string, RunRecord>(StringComparer.Ordinal);
        var catalogs = listing.Where(a => a.Kind == VaultObjectKind.Catalog).ToList();
        var (wanted, present, damaged) = Sort(catalogs, runs, log.Path);

        var (recovered, localCatalogs) = (new List<string>(), new List<string>());
        var records = new RecoveredRunRecord(request.Config, vault, DateTimeOffset.UtcNow);
        var recovery = new CatalogRecovery(vault, key, log, records, listing, request.Config.TmpDir);
        var retrievals = new CatalogRetrievals(vault, Path.Combine(LocalCatalogFile.DirectoryFor(log.Path), CatalogRetrievals.StateFileName),
            request.Retrieval, request.Logger);
        var pending = await retrievals.RetrieveAsync(wanted, async catalog =>
        {
            RunRecord? logged = runs.GetValueOrDefault(catalog.RunKey!);
            if (await recovery.RecoverAsync(catalog, logged, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                request.Logger.LogWarning("{Problem}", problem.Reason);
                damaged.Add(problem);
                return;
            }

            request.Logger.LogInformation("Recovered {What} of run {RunKey} from catalog {CatalogId}", logged is null ? "the run" : "the local catalog",
                catalog.RunKey, catalog.ArchiveId);
            (logged is null ? recovered : localCatalogs).Add(catalog.RunKey!);
        }, cancellationToken).ConfigureAwait(false);

        return new RecoveryResult
        {
            CatalogsFound = catalogs.Count,
            Recovered = Sorted(recovered),
            AlreadyPresent = Sorted(present),
            LocalCatalogsRestored = Sorted(localCatalogs),
            Damaged = damaged,
            Pending = pending.Select(p => new RecoveryProblem(p.Catalog.RunKey, p.Catalog.ArchiveId,
                $"catalog {p.Catalog.ArchiveId} of run {p.Catalog.RunKey} is not readable yet: {p.State}. Run recover again later; it continues with the same retrieval.")).ToList(),
        };
    }

    /// <summary>
    /// Which catalogs to retrieve: one per run the log lacks (the newest, should a retried upload have stored two), and
    /// the catalog a logged run recorded when its local copy is gone; other runs of the log are left alone; a catalog
    /// the vault files under no run cannot be placed.
    /// </summary>
    private static (List<VaultArchive> Wanted, List<string> Present, List<RecoveryProblem> Damaged) Sort(List<VaultArchive> catalogs,
        Dictionary<string, RunRecord> runs, string logPath)
    {
        var (wanted, present, damaged) = (new List<VaultArchive>(), new List<string>(), new List<RecoveryProblem>());
        foreach (var run in catalogs.GroupBy(c => c.RunKey))
        {
            if (run.Key is null)
            {
                damaged.AddRange(run.Select(c => new RecoveryProblem(null, c.ArchiveId, $"catalog {c.ArchiveId} was skipped: the vault does not say which run it belongs to")));
            }
            else if (!runs.TryGetValue(run.Key, out RunRecord? logged))
            {
                wanted.Add(run.OrderByDescending(c => c.CreatedAt).First());
            }
            else if (!File.Exists(LocalCatalogFile.PathFor(logPath, run.Key)) && run.FirstOrDefault(c => c.ArchiveId == logged.Snapshot?.CatalogArchiveId) is { } recorded)
            {
                wanted.Add(recorded);
            }
            else
            {
                present.Add(run.Key);
            }
        }

        return (wanted, present, damaged);
    }

    private static List<string> Sorted(List<string> runKeys)
    {
        runKeys.Sort(RunKeys.Compare);
        return runKeys;
    }
}
