using System.Text.Json;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Migration;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;
using AutoGlacier.Tests.Vaults.S3;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Migration;

/// <summary>migrate: runs in the local Glacier server move into s3rver, still encrypted, resumable after a kill.</summary>
[Collection(S3Collection.Name)]
public sealed class MigrationTests(S3Fixture s3) : IAsyncLifetime
{
    private const int MiB = 1 << 20;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly RetrievalOptions FastPoll = new() { PollInterval = TimeSpan.FromMilliseconds(20) };
    private readonly BackupWorld _world = new("zstd");
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync();

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _world.Dispose();
    }

    private GteuConfig GlacierConfig() => MigrationSource.GlacierVault(_world, _glacier);

    /// <summary>The S3 configuration shares the JSON log, so the moved runs restore with it.</summary>
    private GteuConfig S3Config() => S3TestData.WithS3(_world.Config, s3.Config(S3StorageClasses.DeepArchive)) with { RetrievalTier = "Standard" };

    private async Task<(string RunKey, string Source)> BackupToGlacierAsync(int bytes = (12 * MiB) + 77)
    {
        _world.Config = GlacierConfig();
        string source = _world.NewDirectory("source-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllBytes(Path.Combine(source, "big.bin"), S3TestData.RandomBytes(bytes, seed: 9)); // incompressible: three 5 MiB S3 parts
        File.WriteAllText(Path.Combine(source, "note.txt"), "moved, not decrypted");
        var backup = await _world.BackupAsync([source]);
        Assert.True(backup.ExitCode == ExitCodes.Success, backup.Error);
        return (backup.RunKey!, source);
    }

    private MigrationRequest Request(string runKey, IProgress<MigrationProgress>? progress = null) => new()
    {
        Source = GlacierConfig(),
        Target = S3Config(),
        RunKeys = [runKey],
        Retrieval = FastPoll with { Tier = "Bulk" },
        Progress = progress,
        Logger = NullLogger.Instance,
    };

    private async Task AssertRestoresFromS3Async(string runKey, string source)
    {
        _world.Config = S3Config();
        string target = _world.NewDirectory("restored-" + Guid.NewGuid().ToString("N")[..6]);
        // The restore layer in front of s3rver completes a restore on the next check: poll quickly.
        var restore = await _world.RestoreAsync(new RunSelector { RunKey = runKey }, target, retrieval: FastPoll);
        Assert.True(restore.Problems.Count == 0, string.Join("; ", restore.Problems));
        TreeAssert.Identical(source, target);
    }

    [Fact]
    public async Task A_glacier_run_moves_to_deep_archive_records_its_new_home_and_keeps_the_old_in_its_history()
    {
        var (runKey, source) = await BackupToGlacierAsync();
        RunRecord before = (await _world.Log.GetRunAsync(runKey, None))!;

        var result = await MigrationRunner.RunAsync(Request(runKey), None);

        var moved = result.Runs.Single();
        Assert.Equal((before.ArchiveSize, 3), (moved.Size, moved.PartsUploaded));
        Assert.False(moved.SourceDeleted);
        RunRecord after = (await _world.Log.GetRunAsync(runKey, None))!;
        Assert.Equal(("s3", S3StorageClasses.DeepArchive), (after.Backend, after.Config[AutoGlacier.Vaults.S3.S3Backend.StorageClass]));
        Assert.Equal((before.ArchiveSha256, before.ArchiveTreeHash, before.ArchiveSize), (after.ArchiveSha256, after.ArchiveTreeHash, after.ArchiveSize));
        Assert.Contains($"moved from {before.VaultLocation} archive {before.ArchiveId}", after.BackendState[MigrationState.HistoryKey], StringComparison.Ordinal);
        Assert.DoesNotContain(after.BackendState.Keys, k => k.StartsWith("migration_", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(_world.Config.TmpDir, "autoglacier-migrate-*"));
        await AssertRestoresFromS3Async(runKey, source);
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, "old-vault"));
        Assert.Contains(vault.ListAsync(None).ToBlockingEnumerable(), a => a.ArchiveId == before.ArchiveId); // the vault copy is kept
    }

    [Fact]
    public async Task A_migration_killed_after_one_part_resumes_downloading_and_uploading_only_what_is_missing()
    {
        var (runKey, source) = await BackupToGlacierAsync();
        long size = (await _world.Log.GetRunAsync(runKey, None))!.ArchiveSize!.Value;
        using var kill = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MigrationRunner.RunAsync(
            Request(runKey, new StopAfterParts(1, kill)), kill.Token));

        RunRecord killed = (await _world.Log.GetRunAsync(runKey, None))!;
        Assert.Equal("glacier", killed.Backend);
        Assert.Single(MigrationState.From(killed)!.Parts);
        var resumed = (await MigrationRunner.RunAsync(Request(runKey), None)).Runs.Single();

        Assert.Equal(size - (5 * MiB), resumed.BytesDownloaded); // the spooled first part is not fetched again
        Assert.Equal(2, resumed.PartsUploaded);                   // nor sent again
        Assert.Equal("s3", (await _world.Log.GetRunAsync(runKey, None))!.Backend);
        await AssertRestoresFromS3Async(runKey, source);
    }

    [Fact]
    public async Task Delete_source_keeps_a_young_vault_copy_and_deletes_it_once_90_days_passed()
    {
        var (runKey, _) = await BackupToGlacierAsync(bytes: 2 * MiB);
        string oldArchive = (await _world.Log.GetRunAsync(runKey, None))!.ArchiveId!;

        var young = (await MigrationRunner.RunAsync(Request(runKey) with { DeleteSource = true }, None)).Runs.Single();
        var later = (await MigrationRunner.RunAsync(Request(runKey) with
        {
            DeleteSource = true, Clock = new ShiftedClock(TimeSpan.FromDays(91)),
        }, None)).Runs.Single();

        Assert.False(young.SourceDeleted);
        Assert.Contains("90-day minimum", young.Note, StringComparison.Ordinal);
        Assert.True(later.SourceDeleted);
        Assert.Equal(0, later.BytesDownloaded);
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, "old-vault"));
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => vault.DeleteAsync(oldArchive, None));
        Assert.True((await _world.Log.GetRunAsync(runKey, None))!.BackendState.ContainsKey(MigrationState.SourceDeletedAtKey));
    }

    [Fact]
    public async Task A_plan_changes_nothing_and_the_cli_moves_all_runs()
    {
        var (runKey, source) = await BackupToGlacierAsync(bytes: MiB);
        var (sourceConfig, targetConfig) = WriteCliConfigs();
        string logBefore = File.ReadAllText(_world.Config.JsonDatabase);

        var (planExit, planOut, planErr) = await CliRun.InvokeAsync("migrate", "--config", sourceConfig, "--to", targetConfig, "--all", "--plan");
        Assert.True(planExit == 0, planErr);
        Assert.Contains($"would move run {runKey}", planOut, StringComparison.Ordinal);
        Assert.Contains("Bulk retrievals from a Glacier vault take 5-12 hours", planOut, StringComparison.Ordinal);
        Assert.Equal(logBefore, File.ReadAllText(_world.Config.JsonDatabase));

        var (exit, output, error) = await CliRun.InvokeAsync("migrate", "--config", sourceConfig, "--to", targetConfig, "--all", "--poll-interval", "50ms");
        Assert.True(exit == 0, output + error);
        Assert.Contains($"moved run {runKey}", output, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalGlacierFixture.SecretKey, output + error, StringComparison.Ordinal);
        await AssertRestoresFromS3Async(runKey, source);
    }

    [Fact]
    public async Task The_cli_with_json_prints_the_plan_then_each_moved_runs_key_source_target_and_transfer()
    {
        var (runKey, source) = await BackupToGlacierAsync(bytes: MiB);
        var (sourceConfig, targetConfig) = WriteCliConfigs();

        var plan = await CliRun.InvokeAsync("migrate", "--config", sourceConfig, "--to", targetConfig, "--all", "--plan", "--json");
        Assert.True(plan.Exit == 0, plan.Err + plan.Out);
        using var planJson = JsonDocument.Parse(plan.Out);
        Assert.Equal(("migrate", 0, true, "Bulk"), (planJson.RootElement.GetProperty("command").GetString(), planJson.RootElement.GetProperty("exit_code").GetInt32(),
            planJson.RootElement.GetProperty("plan").GetBoolean(), planJson.RootElement.GetProperty("tier").GetString()));
        var planned = Assert.Single(planJson.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal(runKey, planned.GetProperty("run_key").GetString());
        Assert.Equal(JsonValueKind.Null, planned.GetProperty("to").ValueKind);
        Assert.Equal(0, planned.GetProperty("bytes_downloaded").GetInt64());

        var moved = await CliRun.InvokeAsync("migrate", "--config", sourceConfig, "--to", targetConfig, "--all", "--poll-interval", "50ms", "--json");
        Assert.True(moved.Exit == 0, moved.Err + moved.Out);
        using var movedJson = JsonDocument.Parse(moved.Out);
        Assert.False(movedJson.RootElement.GetProperty("plan").GetBoolean());
        var run = Assert.Single(movedJson.RootElement.GetProperty("runs").EnumerateArray());
        long size = run.GetProperty("size").GetInt64();
        Assert.Equal(runKey, run.GetProperty("run_key").GetString());
        Assert.Contains(GlacierConfig().VaultName, run.GetProperty("from").GetString()!, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(run.GetProperty("to").GetString()));
        Assert.Equal((size, size), (run.GetProperty("bytes_downloaded").GetInt64(), movedJson.RootElement.GetProperty("total_bytes").GetInt64()));
        Assert.True(run.GetProperty("parts_uploaded").GetInt32() >= 1);
        Assert.False(run.GetProperty("source_deleted").GetBoolean());
        Assert.DoesNotContain(LocalGlacierFixture.SecretKey, moved.Out + moved.Err, StringComparison.Ordinal);
        await AssertRestoresFromS3Async(runKey, source);
    }

    [Fact]
    public async Task A_python_seed_run_moves_to_s3_and_restores_from_there_with_the_seed_key()
    {
        if (!Seed.SeedPython.Available()) { return; }
        string seedRoot = _world.NewDirectory("seed");
        string file = Path.Combine(_world.NewDirectory("seed-home"), "letter.txt");
        File.WriteAllText(file, "written in 2017\n");
        var (seedKey, _) = Seed.SeedPython.Backup(seedRoot, [file], upload: _glacier);
        string seedLog = Seed.SeedPython.LogPath(seedRoot);
        string seedRecord = RawValue(seedLog, seedKey);

        var moved = (await MigrationRunner.RunAsync(new MigrationRequest
        {
            Source = GlacierConfig() with { JsonDatabase = seedLog },
            Target = S3Config() with { JsonDatabase = seedLog },
            All = true,
            Retrieval = FastPoll,
        }, None)).Runs.Single();

        Assert.Equal(seedKey, moved.RunKey);
        Assert.Equal(seedRecord, RawValue(seedLog, seedKey)); // the seed's own record is untouched; the move is in its companion
        RunRecord after = (await new JsonRunLog(seedLog).GetRunAsync(seedKey, None))!;
        Assert.Equal(("s3", "seed"), (after.Backend, after.Origin));
        string target = _world.NewDirectory("seed-restored");
        var restore = await RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = S3Config() with { JsonDatabase = seedLog }, Selector = new RunSelector { RunKey = seedKey },
            PrivateKeyPath = Seed.SeedPython.PrivateKey(seedRoot), Passphrase = Seed.SeedPython.Passphrase, TargetDirectory = target,
            Retrieval = FastPoll,
        }, None);
        Assert.True(restore.Problems.Count == 0, string.Join("; ", restore.Problems));
        Assert.Equal(1, restore.FilesVerified);
        Assert.Equal("written in 2017\n", File.ReadAllText(BackupWorld.Restored(target, file)));
    }

    private static string RawValue(string log, string key)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(log));
        return document.RootElement.GetProperty(key).GetRawText();
    }

    /// <summary>The two configuration files migrate reads: the Glacier source and the S3 target.</summary>
    private (string Source, string Target) WriteCliConfigs()
    {
        string source = _world.NewDirectory("cfg") + "/glacier.json";
        string target = _world.NewDirectory("cfg2") + "/s3.json";
        WriteConfig(source, GlacierConfig());
        WriteConfig(target, S3Config());
        return (source, target);
    }

    private static void WriteConfig(string path, GteuConfig config)
    {
        var values = new Dictionary<string, object?>
        {
            ["BACKEND"] = config.Backend, ["JSON_DATABASE"] = config.JsonDatabase, ["TMP_DIR"] = config.TmpDir,
            ["PUBL_RSA_KEY_PATH"] = config.PublicKeyPaths[0], ["ENDPOINT_URL"] = config.EndpointUrl, ["REGION_NAME"] = config.RegionName,
            ["AWS_ACCESS_KEY_ID"] = config.AwsAccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = config.AwsSecretAccessKey,
        };
        if (config.Backend == "glacier") { values["VAULT_NAME"] = config.VaultName; }
        else
        {
            values["S3_BUCKET"] = config.S3Bucket; values["S3_PREFIX"] = config.S3Prefix; values["S3_STORAGE_CLASS"] = config.S3StorageClass;
            values["PART_SIZE_MB"] = config.PartSizeMb;
        }
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(values.Where(kv => kv.Value is not null).ToDictionary()));
    }

    /// <summary>Stands in for a kill: cancels the migration right after <paramref name="parts"/> parts reached S3 and the log.</summary>
    private sealed class StopAfterParts(int parts, CancellationTokenSource kill) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value)
        {
            if (value.PartsUploaded >= parts) { kill.Cancel(); }
        }
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
