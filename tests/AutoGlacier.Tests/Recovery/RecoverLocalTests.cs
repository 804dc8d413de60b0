using System.Text.Json;
using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Recovery;
using AutoGlacier.Snapshots;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Local;
using static AutoGlacier.Tests.Recovery.RecoveryScenario;

namespace AutoGlacier.Tests.Recovery;

/// <summary><c>recover</c> on the local vault: the log and local catalogs rebuilt from the vault alone.</summary>
[Collection(PassphraseEnvironment.Name)]
public sealed class RecoverLocalTests : IDisposable
{
    private readonly BackupWorld _world = new("zstd");

    [Fact]
    public async Task After_losing_the_log_recover_rebuilds_each_run_and_its_catalog_so_list_restore_and_verify_work()
    {
        var vault = new LocalVault(_world.Config.LocalVaultDir);
        string first = _world.NewDirectory("first");
        TreeBuilder.Awkward(first);
        string second = _world.NewDirectory("second");
        File.WriteAllText(Path.Combine(second, "zebra-secret-4711.txt"), "second run");
        var one = await BackUpWithCatalogAsync(_world, vault, first);
        var two = await BackUpWithCatalogAsync(_world, vault, second);
        var lost = await SnapshotLogAsync(_world.Log);
        LoseTheMachine(_world);

        RecoveryResult result = await RecoverAsync(_world);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(2, result.CatalogsFound);
        Assert.Equal([one.RunKey, two.RunKey], result.Recovered);
        Assert.Empty(result.AlreadyPresent);
        await AssertRecoveredAsync(_world, one.RunKey, one.CatalogId, one.Catalog, lost[one.RunKey]);
        await AssertRecoveredAsync(_world, two.RunKey, two.CatalogId, two.Catalog, lost[two.RunKey]);
        Assert.Equal([one.RunKey + ".catalog.zst", two.RunKey + ".catalog.zst"],
            Directory.EnumerateFiles(LocalCatalogFile.DirectoryFor(_world.Log.Path)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await AssertRestorableAsync(_world, one.RunKey, first);
        await AssertRestorableAsync(_world, two.RunKey, second);
        AssertNowhereIn(_world.Config.LocalVaultDir, "zebra-secret-4711");
    }

    [Fact]
    public async Task Runs_already_in_the_log_are_left_alone_a_second_recover_adds_nothing_and_a_lost_local_catalog_comes_back()
    {
        var vault = new LocalVault(_world.Config.LocalVaultDir);
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "kept");
        var kept = await BackUpWithCatalogAsync(_world, vault, source);
        var lost = await BackUpWithCatalogAsync(_world, vault, source);
        // Only the second run is lost from the log (e.g. a log restored from an older copy).
        await RemoveRunAsync(lost.RunKey);
        byte[] before = File.ReadAllBytes(_world.Log.Path);

        RecoveryResult result = await RecoverAsync(_world);
        RecoveryResult again = await RecoverAsync(_world);

        Assert.Equal([lost.RunKey], result.Recovered);
        Assert.Equal([kept.RunKey], result.AlreadyPresent);
        Assert.Empty(again.Recovered);
        Assert.Equal([kept.RunKey, lost.RunKey], again.AlreadyPresent);
        RunRecord untouched = (await _world.Log.GetRunAsync(kept.RunKey, CancellationToken.None))!;
        Assert.False(untouched.BackendState.ContainsKey(RecoveredRunRecord.RecoveredAtKey));
        Assert.True(File.ReadAllBytes(_world.Log.Path).Length > before.Length);

        // The recovered run's local catalog is lost again (the log kept): recover puts back just the catalog.
        byte[] log = File.ReadAllBytes(_world.Log.Path);
        File.Delete(LocalCatalogFile.PathFor(_world.Log.Path, lost.RunKey));
        RecoveryResult local = await RecoverAsync(_world);
        Assert.Equal([lost.RunKey], local.LocalCatalogsRestored);
        Assert.Equal([kept.RunKey], local.AlreadyPresent);
        Assert.Empty(local.Recovered);
        Assert.Equal(lost.Catalog, File.ReadAllBytes(LocalCatalogFile.PathFor(_world.Log.Path, lost.RunKey)));
        Assert.Equal(log, File.ReadAllBytes(_world.Log.Path));
    }

    [Fact]
    public async Task A_tampered_catalog_and_one_for_another_key_are_reported_by_run_and_leave_nothing_behind()
    {
        var vault = new LocalVault(_world.Config.LocalVaultDir);
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "good");
        var good = await BackUpWithCatalogAsync(_world, vault, source);
        string tampered = await BackUpWithForeignCatalogAsync(source, [RecipientKey.Load(_world.PublicKeyPath)], bytes =>
        {
            bytes[^1] ^= 0x40; // inside the last chunk's authentication tag
            return bytes;
        });
        string otherKey = await BackUpWithForeignCatalogAsync(source, [OtherRecipient()], bytes => bytes);
        LoseTheMachine(_world);

        RecoveryResult result = await RecoverAsync(_world);

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Equal([good.RunKey], result.Recovered);
        Assert.Equal([tampered, otherKey], result.Damaged.Select(d => d.RunKey).Order(StringComparer.Ordinal));
        Assert.All(result.Damaged, d => Assert.Contains($"of run {d.RunKey} was skipped", d.Reason, StringComparison.Ordinal));
        Assert.Equal([good.RunKey + ".catalog.zst"], Directory.EnumerateFiles(LocalCatalogFile.DirectoryFor(_world.Log.Path)).Select(Path.GetFileName));
        Assert.Equal([good.RunKey], (await _world.Log.ListRunsAsync(CancellationToken.None)).Select(r => r.Key));
    }

    [Fact]
    public async Task An_incremental_catalog_gives_its_run_only_the_files_it_stored_and_the_paths_it_removed()
    {
        var vault = new LocalVault(_world.Config.LocalVaultDir);
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "base");
        var full = await BackUpWithCatalogAsync(_world, vault, source);
        BackupResult next = await _world.BackupAsync([source]);
        string aHash = TreeBuilder.Sha256Hex(Path.Combine(source, "a.txt"));
        var header = new CatalogHeader
        {
            Run = next.RunKey!, Kind = SnapshotKind.Incremental, Base = full.RunKey,
            Series = new SeriesId("nightly", "local", vault.Location), StartedAt = DateTimeOffset.UtcNow,
        };
        string path;
        File.Delete(LocalCatalogFile.PathFor(_world.Log.Path, header.Run)); // the backup's own catalog, replaced by this one
        using (var catalog = LocalCatalogFile.Create(_world.Log.Path, header))
        {
            catalog.Writer.Add(new CatalogEntry { Path = source + "/a.txt", Type = EntryType.File, Size = 4, Mode = 420, Sha256 = aHash, Run = full.RunKey, Archive = "x" });
            catalog.Writer.Add(CatalogEntry.RemovalOf(source + "/gone.txt"));
            catalog.Writer.Add(new CatalogEntry { Path = source + "/new.txt", Type = EntryType.File, Size = 3, MtimeNs = 1_700_000_000_123_456_789, Mode = 384,
                Sha256 = new string('b', 64), Run = next.RunKey, Archive = next.ArchiveId });
            catalog.Commit();
            path = catalog.FinalPath;
        }

        string catalogId = await UploadCatalogAsync(vault, next.RunKey!, path, [RecipientKey.Load(_world.PublicKeyPath)]);
        LoseTheMachine(_world);

        RecoveryResult result = await RecoverAsync(_world);

        Assert.Equal([full.RunKey, next.RunKey!], result.Recovered);
        RunRecord record = (await _world.Log.GetRunAsync(next.RunKey!, CancellationToken.None))!;
        Assert.Equal(("incremental", full.RunKey, "nightly", "nightly"), (record.Snapshot!.Kind, record.Snapshot.Base, record.Snapshot.Series, record.Job));
        Assert.Equal((3L, 1L, 1L, 1L, catalogId), (record.Snapshot.CatalogEntries, record.Snapshot.Stored, record.Snapshot.Referenced, record.Snapshot.Removed, record.Snapshot.CatalogArchiveId));
        Assert.Equal((next.ArchiveId, 1, 3L), (record.ArchiveId, record.FilesStored, record.PlaintextSize));
        var files = await _world.Log.ReadFilesAsync(next.RunKey!, CancellationToken.None).ToListAsync();
        Assert.Equal([(source + "/gone.txt", FileStatus.Removed, (string?)null), (source + "/new.txt", FileStatus.Stored, new string('b', 64))],
            files.Select(f => (f.Path, f.Status, f.Hash)));
        FileRecord added = files[1];
        Assert.Equal((source.TrimStart('/') + "/new.txt", 384, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567)),
            (added.ArchiveName, added.Mode!.Value, added.Mtime!.Value));
        Assert.Equal(File.ReadAllBytes(path).Length, new FileInfo(LocalCatalogFile.PathFor(_world.Log.Path, next.RunKey!)).Length);
    }

    [Fact]
    public async Task The_recover_command_prints_a_summary_and_one_json_document()
    {
        var vault = new LocalVault(_world.Config.LocalVaultDir);
        string source = _world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "cli");
        var run = await BackUpWithCatalogAsync(_world, vault, source);
        LoseTheMachine(_world);
        Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", BackupWorld.Passphrase);
        try
        {
            var (exit, output, _) = await CliRun.InvokeAsync("recover", "--config", _world.ConfigPath, "--private-key", _world.PrivateKeyPath);
            Assert.Equal(0, exit);
            Assert.Contains($"recovered: run {run.RunKey}", output, StringComparison.Ordinal);
            Assert.Contains("1 catalog(s) in the vault: 1 recovered, 0 already in the log (0 local catalog(s) put back), 0 damaged, 0 pending.", output, StringComparison.Ordinal);

            var (again, json, _) = await CliRun.InvokeAsync("recover", "--config", _world.ConfigPath, "--private-key", _world.PrivateKeyPath, "--json");
            using var document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            Assert.Equal((0, "recover", 0), (again, root.GetProperty("command").GetString(), root.GetProperty("exit_code").GetInt32()));
            Assert.Equal((false, 1), (root.GetProperty("inventory_pending").GetBoolean(), root.GetProperty("catalogs_found").GetInt32()));
            Assert.Equal(run.RunKey, Assert.Single(root.GetProperty("already_present").EnumerateArray()).GetString());
            Assert.Equal(0, root.GetProperty("recovered").GetArrayLength());
            Assert.Equal(0, root.GetProperty("local_catalogs_restored").GetArrayLength());
            Assert.Equal(0, root.GetProperty("damaged").GetArrayLength());
            Assert.Equal(0, root.GetProperty("pending").GetArrayLength());

            var (listExit, list, _) = await CliRun.InvokeAsync("list", "--config", _world.ConfigPath);
            Assert.Equal(0, listExit);
            Assert.Contains(run.RunKey, list, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", null);
        }
    }

    public void Dispose() => _world.Dispose();

    /// <summary>A run whose catalog is uploaded altered (or for other recipients); the run's own log entry is dropped as if lost.</summary>
    private async Task<string> BackUpWithForeignCatalogAsync(string source, IReadOnlyList<RecipientKey> recipients, Func<byte[], byte[]> damage)
    {
        var vault = new LocalVault(_world.Config.LocalVaultDir);
        BackupResult backup = await _world.BackupAsync([source]);
        RunRecord record = (await _world.Log.GetRunAsync(backup.RunKey!, CancellationToken.None))!;
        await SnapshotCatalogs.EnsureLegacyCatalogAsync(_world.Log, backup.RunKey!, record, CancellationToken.None);
        await UploadCatalogAsync(vault, backup.RunKey!, LocalCatalogFile.PathFor(_world.Log.Path, backup.RunKey!), recipients, damage);
        return backup.RunKey!;
    }

    private RecipientKey OtherRecipient()
    {
        string directory = _world.NewDirectory("other-key");
        KeyPairGenerator.Generate(Path.Combine(directory, "private.pem"), Path.Combine(directory, "public.pem"), "other", 2048);
        return RecipientKey.Load(Path.Combine(directory, "public.pem"));
    }

    /// <summary>Drops a run from the log (and its local catalog), keeping the others byte for byte.</summary>
    private async Task RemoveRunAsync(string runKey)
    {
        var log = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllBytesAsync(_world.Log.Path))!.AsObject();
        Assert.True(log.Remove(runKey));
        await File.WriteAllTextAsync(_world.Log.Path, log.ToJsonString());
        File.Delete(LocalCatalogFile.PathFor(_world.Log.Path, runKey));
    }
}
