using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Migration;
using AutoGlacier.Recovery;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;
using AutoGlacier.Tests.Vaults.S3;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.S3;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoGlacier.Tests.Recovery.RecoveryScenario;

namespace AutoGlacier.Tests.Migration;

/// <summary>
/// migrate moves a snapshot run's catalog with its archive (local Glacier server → s3rver), so that the S3 bucket alone
/// is a complete backup: <c>recover</c> from it rebuilds the runs, their snapshots restore, and the chain goes on.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class MigrationCatalogTests(S3Fixture s3) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan JobDelay = TimeSpan.FromSeconds(1);
    private static readonly RetrievalOptions FastPoll = new() { PollInterval = TimeSpan.FromMilliseconds(50) };
    private readonly BackupWorld _world = new("zstd");
    private readonly string _prefix = S3Fixture.NewPrefix();
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync(JobDelay);

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _world.Dispose();
    }

    /// <summary>A run of one file, a.txt holding <paramref name="text"/>, into the Glacier vault.</summary>
    private async Task<(string Source, string RunKey)> BackUpOneFileToGlacierAsync(string text)
    {
        _world.Config = GlacierConfig();
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), text);
        return (source, await BackUpAsync(source));
    }

    private GteuConfig GlacierConfig() => MigrationSource.GlacierVault(_world, _glacier);

    /// <summary>One bucket prefix for the whole test: the migrated runs' series is this S3 vault.</summary>
    private GteuConfig S3Config() => S3TestData.WithS3(_world.Config, s3.Config(S3StorageClasses.DeepArchive, prefix: _prefix)) with { RetrievalTier = "Standard" };

    private MigrationRequest Request(IProgress<MigrationProgress>? progress = null) => new()
    {
        Source = GlacierConfig(), Target = S3Config(), All = true, Retrieval = FastPoll with { Tier = "Bulk" }, Progress = progress,
        Logger = NullLogger.Instance,
    };

    private async Task<string> BackUpAsync(string source)
    {
        var backup = await _world.BackupAsync([source]);
        Assert.True(backup.ExitCode == ExitCodes.Success, backup.Error);
        return backup.RunKey!;
    }

    [Fact]
    public async Task A_migrated_chain_is_recovered_from_S3_alone_restores_its_incremental_and_goes_on_there()
    {
        _world.Config = GlacierConfig();
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "kept.txt"), "in the full only");
        File.WriteAllBytes(Path.Combine(source, "big.bin"), S3TestData.RandomBytes(300_000, seed: 3));
        string full = await BackUpAsync(source);
        File.WriteAllText(Path.Combine(source, "changed.txt"), "added by the incremental");
        string incremental = await BackUpAsync(source);
        var before = await SnapshotLogAsync(_world.Log);
        Assert.Equal(("incremental", full), (before[incremental].Record.Snapshot!.Kind, before[incremental].Record.Snapshot!.Base));

        var result = await MigrationRunner.RunAsync(Request() with { DeleteSource = true, AllowEarlyDeletion = true }, None);

        Assert.Equal([full, incremental], result.Runs.Select(r => r.RunKey));
        Assert.All(result.Runs, r => Assert.True(r.SourceDeleted && r.CatalogTo is not null && r.CatalogBytesDownloaded > 0, r.ToString()));
        using var glacier = new GlacierVault(GlacierTestSettings.For(_glacier, "old-vault"));
        foreach (string key in new[] { full, incremental })
        {
            RunSnapshot old = before[key].Record.Snapshot!;
            RunRecord moved = (await _world.Log.GetRunAsync(key, None))!;
            Assert.StartsWith($"{_prefix}{S3ObjectKeys.CatalogFolder}{key}-", moved.Snapshot!.CatalogArchiveId, StringComparison.Ordinal);
            Assert.Equal((old.CatalogSize, old.CatalogSha256, old.CatalogArchiveId), (moved.Snapshot.CatalogSize, moved.Snapshot.CatalogSha256,
                moved.BackendState[MigrationState.MovedFromCatalogKey]));
            Assert.DoesNotContain(moved.BackendState.Keys, k => k.StartsWith("catalog_migration_", StringComparison.Ordinal) || k.StartsWith("catalog_retrieval_", StringComparison.Ordinal));
            await Assert.ThrowsAsync<ArchiveNotFoundException>(() => glacier.DeleteAsync(old.CatalogArchiveId!, None)); // --delete-source took the catalog too
        }
        Assert.Empty(Directory.GetFiles(_world.Config.TmpDir, "autoglacier-migrate-*"));
        Assert.Empty((await MigrationRunner.RunAsync(Request(), None)).Runs); // nothing left to move
        await AssertOneCatalogPerRunAsync(full, incremental);

        // The old vault is gone and so is the machine: the bucket alone gives the runs back.
        string logPath = _world.Config.JsonDatabase;
        _world.Config = S3Config() with { JsonDatabase = Path.Combine(_world.NewDirectory("new-machine"), "log.json") };
        RecoveryResult recovered = await RecoverAsync(_world, FastPoll);
        Assert.Equal(ExitCodes.Success, recovered.ExitCode);
        Assert.Equal([full, incremental], recovered.Recovered);
        RunRecord recoveredFull = (await _world.Log.GetRunAsync(full, None))!;
        Assert.Equal(before[full].Record.ArchiveId, recoveredFull.BackendState[RecoveredRunRecord.CatalogArchiveKey]);
        await AssertRestorableAsync(_world, incremental, source, FastPoll); // its unchanged files come from the full's moved archive

        // The migrated chain is the S3 configuration's series now: the next backup there builds on it.
        _world.Config = S3Config() with { JsonDatabase = logPath };
        File.WriteAllText(Path.Combine(source, "after.txt"), "first backup into S3");
        string next = await BackUpAsync(source);
        RunSnapshot nextSnapshot = (await _world.Log.GetRunAsync(next, None))!.Snapshot!;
        Assert.Equal(("incremental", incremental), (nextSnapshot.Kind, nextSnapshot.Base));
        await AssertRestorableAsync(_world, next, source, FastPoll);
    }

    [Fact]
    public async Task A_migration_killed_after_the_catalog_reached_S3_but_not_the_log_stores_no_second_catalog()
    {
        var (source, runKey) = await BackUpOneFileToGlacierAsync("one catalog only");
        string oldCatalog = (await _world.Log.GetRunAsync(runKey, None))!.Snapshot!.CatalogArchiveId!;
        string logPath = _world.Config.JsonDatabase;
        string whileSending = logPath + ".while-sending-catalog";

        var first = (await MigrationRunner.RunAsync(Request(new CopyLogWhileCatalogMoves(logPath, whileSending)), None)).Runs.Single();
        // The kill: the log as it was with the catalog's part sent, the S3 upload then completed but not recorded.
        File.Copy(whileSending, logPath, overwrite: true);
        RunRecord killed = (await _world.Log.GetRunAsync(runKey, None))!;
        Assert.Equal(("s3", oldCatalog), (killed.Backend, killed.Snapshot!.CatalogArchiveId));
        Assert.NotNull(MigrationState.From(killed, TransferKeys.Catalog));
        var resumed = (await MigrationRunner.RunAsync(Request(), None)).Runs.Single();

        Assert.Equal((first.CatalogTo, 0), (resumed.CatalogTo, resumed.PartsUploaded)); // the S3 object is found, not sent again
        Assert.Contains($"catalog {oldCatalog}", resumed.From, StringComparison.Ordinal);
        RunRecord after = (await _world.Log.GetRunAsync(runKey, None))!;
        Assert.Equal(oldCatalog, after.BackendState[MigrationState.MovedFromCatalogKey]);
        await AssertOneCatalogPerRunAsync(runKey);
        _world.Config = S3Config() with { JsonDatabase = Path.Combine(_world.NewDirectory("new-machine"), "log.json") };
        Assert.Equal(runKey, Assert.Single((await RecoverAsync(_world, FastPoll)).Recovered));
        await AssertRestorableAsync(_world, runKey, source, FastPoll);
    }

    [Fact]
    public async Task Without_waiting_the_catalogs_retrieval_is_requested_with_the_archives_and_both_jobs_are_reused_later()
    {
        var (source, runKey) = await BackUpOneFileToGlacierAsync("cold");
        var noWait = Request() with { Retrieval = FastPoll with { Tier = "Bulk", Wait = false } };

        await Assert.ThrowsAsync<RetrievalPendingException>(() => MigrationRunner.RunAsync(noWait, None));
        RunRecord pending = (await _world.Log.GetRunAsync(runKey, None))!;
        Assert.True(pending.BackendState.ContainsKey("retrieval_token") && pending.BackendState.ContainsKey("catalog_retrieval_token"));
        await Task.Delay(JobDelay + TimeSpan.FromMilliseconds(500));
        var moved = (await MigrationRunner.RunAsync(noWait, None)).Runs.Single();

        Assert.NotNull(moved.CatalogTo);
        Assert.Equal(2, _glacier.Server.RequestCount("InitiateJob")); // one job each, both started by the first run
        RunRecord after = (await _world.Log.GetRunAsync(runKey, None))!;
        Assert.DoesNotContain(after.BackendState.Keys, k => k.Contains("retrieval_", StringComparison.Ordinal));
    }

    /// <summary>The S3 vault holds exactly one catalog of each run, the one the log names.</summary>
    private async Task AssertOneCatalogPerRunAsync(params string[] runKeys)
    {
        using S3Vault vault = S3Vault.Create(S3Config());
        var catalogs = await vault.ListAsync(None).Where(a => a.Kind == VaultObjectKind.Catalog).ToListAsync();
        Assert.Equal(runKeys.Order(StringComparer.Ordinal), catalogs.Select(c => c.RunKey!).Order(StringComparer.Ordinal));
        foreach (var catalog in catalogs)
        {
            Assert.Equal(catalog.ArchiveId, (await new JsonRunLog(_world.Config.JsonDatabase).GetRunAsync(catalog.RunKey!, None))!.Snapshot!.CatalogArchiveId);
        }
    }

    /// <summary>Keeps a copy of the log each time a catalog's part reached S3 and the log.</summary>
    private sealed class CopyLogWhileCatalogMoves(string log, string copy) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value)
        {
            if (value.Kind == VaultObjectKind.Catalog) { File.Copy(log, copy, overwrite: true); }
        }
    }
}
