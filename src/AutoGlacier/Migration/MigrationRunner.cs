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
/// run's history. The vault copy is deleted only when asked, only after the S3 copy is verified, and never before
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
            moved.Add(request.PlanOnly ? Planned(key, record) : await MoveAsync(log, key, record, request, cancellationToken).ConfigureAwait(false));
        }
        return new MigrationResult(moved);
    }

    /// <summary>The runs a migration moves: stored in a Glacier vault, not deleted there.</summary>
    private static async Task<List<KeyValuePair<string, RunRecord>>> SelectAsync(JsonRunLog log, MigrationRequest request, CancellationToken cancellationToken)
    {
        var all = File.Exists(log.Path) ? await log.ListRunsAsync(cancellationToken).ConfigureAwait(false) : [];
        if (request.All) { return all.Where(r => InVault(r.Value) || (request.DeleteSource && SourceLeft(r.Value))).ToList(); }
        if (request.RunKeys.Count == 0) { throw new AutoGlacierException("Name the runs to move: --run KEY (repeatable) or --all."); }
        var chosen = new List<KeyValuePair<string, RunRecord>>();
        foreach (string key in request.RunKeys)
        {
            var run = all.FirstOrDefault(r => r.Key == key);
            if (run.Value is null) { throw new AutoGlacierException($"Run '{key}' is not in the log {log.Path}; see 'autoglacier list'."); }
            if (!InVault(run.Value) && !(request.DeleteSource && SourceLeft(run.Value)))
            {
                throw new AutoGlacierException($"Run '{key}' is not stored in a Glacier vault (backend {run.Value.Backend}, archive {run.Value.ArchiveId ?? "none"}" +
                    $"{(run.Value.BackendState.ContainsKey(RunDeletion.DeletedAtKey) ? ", deleted" : "")}); there is nothing to move.");
            }
            chosen.Add(run);
        }
        return chosen;
    }

    private static bool InVault(RunRecord record) =>
        record.Backend == "glacier" && record.ArchiveId is not null && !record.BackendState.ContainsKey(RunDeletion.DeletedAtKey);

    /// <summary>Moved earlier with the vault copy kept (e.g. younger than 90 days then).</summary>
    private static bool SourceLeft(RunRecord record) =>
        record.BackendState.ContainsKey(MigrationState.MovedFromArchiveKey) && !record.BackendState.ContainsKey(MigrationState.SourceDeletedAtKey);

    private static MigratedRun Planned(string key, RunRecord record) =>
        new(key, $"{record.VaultLocation} archive {record.ArchiveId}", null, record.ArchiveSize ?? -1, 0, 0, false,
            MigrationState.From(record) is { } state ? $"resumes: {state.Parts.Count} part(s) already in S3" : null);

    private static async Task<MigratedRun> MoveAsync(JsonRunLog log, string key, RunRecord record, MigrationRequest request, CancellationToken cancellationToken)
    {
        var vaultConfig = SourceVault(request.Source, record);
        IVault source = VaultFactory.Create(vaultConfig);
        IVault s3 = VaultFactory.Create(request.Target);
        try
        {
            if (!InVault(record))
            {
                var (gone, why) = await DeleteSourceAsync(log, key, record, record with { ArchiveId = record.BackendState[MigrationState.MovedFromArchiveKey] },
                    source, request, cancellationToken).ConfigureAwait(false);
                return new MigratedRun(key, $"{vaultConfig.RegionName}/{vaultConfig.VaultName} archive {record.BackendState[MigrationState.MovedFromArchiveKey]}",
                    record.ArchiveLocation, record.ArchiveSize ?? -1, 0, 0, gone, why);
            }
            await new RetrievalWaiter(vaultConfig, request.Retrieval, request.Logger)
                .EnsureReadableAsync(source, log, key, record, record.ArchiveId!, cancellationToken).ConfigureAwait(false);
            record = await log.GetRunAsync(key, cancellationToken).ConfigureAwait(false) ?? record;
            var transfer = new ArchiveTransfer(log, key, source, ((IMultipartVault)s3).Multipart, request.Source.TmpDir, request.Progress);
            var (stored, sha, tree) = await transfer.RunAsync(record, cancellationToken).ConfigureAwait(false);
            string from = $"{record.VaultLocation} archive {record.ArchiveId}";
            var movedRecord = await RecordMoveAsync(log, key, request, s3, stored, sha, tree, cancellationToken).ConfigureAwait(false);
            request.Logger.LogInformation("Run {RunKey}: moved {Bytes} bytes from {From} to {To}", key, stored.Size, from, stored.Location);
            var (deleted, note) = await DeleteSourceAsync(log, key, movedRecord, record, source, request, cancellationToken).ConfigureAwait(false);
            return new MigratedRun(key, from, stored.Location, stored.Size, transfer.BytesDownloaded, transfer.PartsUploaded, deleted, note);
        }
        finally
        {
            (source as IDisposable)?.Dispose();
            (s3 as IDisposable)?.Dispose();
        }
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
    private static async Task<RunRecord> RecordMoveAsync(JsonRunLog log, string key, MigrationRequest request, IVault s3, StoredArchive stored,
        string sha, string tree, CancellationToken cancellationToken)
    {
        var current = await log.GetRunAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new AutoGlacierException($"Run {key} disappeared from the log {log.Path} while it was being moved; the S3 copy is {stored.Location}.");
        string now = Stamp(request.Clock.GetUtcNow());
        var state = MigrationState.Cleared(current.BackendState);
        string line = $"{now} moved from {current.VaultLocation} archive {current.ArchiveId} ({current.ArchiveLocation})";
        state[MigrationState.HistoryKey] = state.TryGetValue(MigrationState.HistoryKey, out var history) ? history + "\n" + line : line;
        state[MigrationState.MovedFromArchiveKey] = current.ArchiveId!;
        if (current.Region is { } region) { state[MigrationState.MovedFromRegionKey] = region; }
        var config = new SortedDictionary<string, string>(current.Config.ToDictionary(), StringComparer.Ordinal)
        {
            [ConfigKeys.Backend] = "s3",
            [S3Backend.StorageClass] = request.Target.S3StorageClass,
        };
        var moved = current with
        {
            Backend = "s3", VaultLocation = s3.Location, Region = request.Target.RegionName, ArchiveId = stored.ArchiveId,
            ArchiveLocation = stored.Location, ArchiveSize = stored.Size, ArchiveSha256 = sha, ArchiveTreeHash = tree,
            Config = config, BackendState = state, UploadParts = null,
        };
        await log.UpdateRunAsync(key, moved, cancellationToken).ConfigureAwait(false);
        return moved;
    }

    private static async Task<(bool Deleted, string? Note)> DeleteSourceAsync(JsonRunLog log, string key, RunRecord moved, RunRecord before,
        IVault source, MigrationRequest request, CancellationToken cancellationToken)
    {
        if (!request.DeleteSource) { return (false, null); }
        DateTimeOffset created = before.EndedAt ?? before.StartedAt;
        DateTimeOffset allowed = created.AddDays(RunDeletion.MinimumStorageDays);
        if (request.Clock.GetUtcNow() < allowed && !request.AllowEarlyDeletion)
        {
            return (false, $"vault copy kept: it is younger than the vault's {RunDeletion.MinimumStorageDays}-day minimum (deleting it now is billed as if kept until " +
                $"{Stamp(allowed)}); run migrate --delete-source again after that, or add --allow-early-deletion");
        }
        await source.DeleteAsync(before.ArchiveId!, cancellationToken).ConfigureAwait(false);
        var state = new Dictionary<string, string>(moved.BackendState) { [MigrationState.SourceDeletedAtKey] = Stamp(request.Clock.GetUtcNow()) };
        await log.UpdateRunAsync(key, moved with { BackendState = state }, cancellationToken).ConfigureAwait(false);
        return (true, null);
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
