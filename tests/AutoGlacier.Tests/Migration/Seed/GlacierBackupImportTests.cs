using System.Security.Cryptography;
using System.Text.Json;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Migration.Seed;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;
using Microsoft.Data.Sqlite;

namespace AutoGlacier.Tests.Migration.Seed;

/// <summary>import-seed: glacierbackup's SQLite jobs become seed runs; the database is never written.</summary>
public sealed class GlacierBackupImportTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record Job(int Id, long Timestamp, string ArchiveId, bool Success, (string Path, string Sha256)[] Files, string Checksum = "aa11", long Size = 4096);

    /// <summary>A database with glacierbackup's schema (its tables and columns as its source creates them).</summary>
    private string Database(params Job[] jobs)
    {
        string path = _dir.Combine("AG_database.sqlite");
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        Execute(db, """
            CREATE TABLE Files (abs_path TEXT PRIMARY KEY NOT NULL, registration_date INT NOT NULL, file_exists INT NOT NULL, registered INT);
            CREATE TABLE Backups (abs_path TEXT NOT NULL, mod_date INT NOT NULL, sha256 TEXT NOT NULL, job_id INT NOT NULL, unique (abs_path, mod_date, sha256, job_id));
            CREATE TABLE BackupJobs (job_id INT PRIMARY KEY NOT NULL, configuration_set_id INT NOT NULL, timestamp INT NOT NULL, description TEXT NOT NULL,
                archive_size INT NOT NULL, archive_checksum TEXT NOT NULL, location TEXT NOT NULL, response TEXT, archive_id TEXT NOT NULL, success INT NOT NULL, errors_message TEXT);
            CREATE TABLE ConfigurationSets (set_id INT PRIMARY KEY NOT NULL, region_name TEXT NOT NULL, vault_name TEXT NOT NULL, public_key TEXT NOT NULL,
                compression_algorithm TEXT NOT NULL, temporary_dir TEXT NOT NULL, database_dir TEXT NOT NULL, aws_access_key_id TEXT, aws_secret_access_key TEXT, regular_runtime_params TEXT);
            INSERT INTO ConfigurationSets VALUES (0, 'eu-west-1', 'SeedVault', 'not a pem', 'lzma', '/tmp', '/db', 'AKIDSEED', 'seed-secret-never-copied', NULL);
            """);
        foreach (var job in jobs)
        {
            Execute(db, "INSERT INTO BackupJobs VALUES ($id, 0, $ts, 'incremental job', $size, $sum, '/-/vaults/SeedVault/archives/' || $aid, '{}', $aid, $ok, $err)",
                ("$id", job.Id), ("$ts", job.Timestamp), ("$size", job.Size), ("$sum", job.Checksum), ("$aid", job.ArchiveId), ("$ok", job.Success ? 1 : 0),
                ("$err", job.Success ? DBNull.Value : "upload failed"));
            foreach (var (file, sha) in job.Files)
            {
                Execute(db, "INSERT INTO Backups VALUES ($p, 1500000000, $s, $id)", ("$p", file), ("$s", sha), ("$id", job.Id));
            }
        }
        return path;
    }

    private static void Execute(SqliteConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) { command.Parameters.AddWithValue(name, value); }
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task Jobs_become_seed_runs_with_files_region_vault_and_archive_and_a_second_import_adds_nothing()
    {
        string database = Database(
            new Job(1, 1500000000, "ARCH-1", true, [("/home/me/a.txt", "AB"), ("/home/me/b.txt", "cd")]),
            new Job(2, 1500086400, "", false, []));
        byte[] before = File.ReadAllBytes(database);
        var log = new JsonRunLog(_dir.Combine("log.json"));

        var first = await GlacierBackupImport.ImportAsync(database, log, _dir.Path, None);
        var second = await GlacierBackupImport.ImportAsync(database, log, _dir.Path, None);

        Assert.Equal(2, first.Imported.Count);
        Assert.Empty(second.Imported);
        Assert.Equal(2, second.AlreadyPresent);
        Assert.Equal(before, File.ReadAllBytes(database));
        var runs = await log.ListRunsAsync(None);
        Assert.Equal(2, runs.Count);
        var (key, done) = runs[0];
        Assert.Equal("1500000000.000000", key);
        Assert.Equal(SeedOrigins.GlacierBackup, done.Origin);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1500000000), done.StartedAt);
        Assert.Equal(("eu-west-1", "ARCH-1", 2, "sha256"), (done.Region, done.ArchiveId, done.FilesStored, done.FileHashAlgorithm));
        Assert.Equal("SeedVault", done.Config[AutoGlacier.Vaults.Glacier.GlacierBackend.VaultName]);
        Assert.Equal(["ab", "cd"], await log.ReadFilesAsync(key, None).Select(f => f.Hash!).ToListAsync());
        Assert.Equal((RunStatus.Failed, "upload failed"), (runs[1].Value.Status, runs[1].Value.Error));
        Assert.DoesNotContain("seed-secret-never-copied", File.ReadAllText(log.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_with_json_prints_the_imported_run_keys_then_the_already_present_count()
    {
        string database = Database(
            new Job(1, 1500000000, "ARCH-1", true, [("/home/me/a.txt", "ab")]),
            new Job(2, 1500086400, "ARCH-2", true, [("/home/me/b.txt", "cd")]));
        string logPath = _dir.Combine("log.json");
        string config = _dir.Write("config.json", $$"""
            {"TMP_DIR": "{{_dir.Combine("tmp")}}", "JSON_DATABASE": "{{logPath}}", "BACKEND": "local", "LOCAL_VAULT_DIR": "{{_dir.Combine("vault")}}"}
            """);

        var first = await CliRun.InvokeAsync("import-seed", "--config", config, "--database", database, "--json");
        var second = await CliRun.InvokeAsync("import-seed", "--config", config, "--database", database, "--json");

        Assert.True(first.Exit == 0, first.Err + first.Out);
        using var firstJson = JsonDocument.Parse(first.Out);
        Assert.Equal("import-seed", firstJson.RootElement.GetProperty("command").GetString());
        Assert.Equal(0, firstJson.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Equal(Path.GetFullPath(logPath), firstJson.RootElement.GetProperty("json_database").GetString());
        Assert.Equal(["1500000000.000000", "1500086400.000000"],
            firstJson.RootElement.GetProperty("imported").EnumerateArray().Select(k => k.GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(0, firstJson.RootElement.GetProperty("already_present").GetInt32());
        using var secondJson = JsonDocument.Parse(second.Out);
        Assert.Equal(0, secondJson.RootElement.GetProperty("imported").GetArrayLength());
        Assert.Equal(2, secondJson.RootElement.GetProperty("already_present").GetInt32());
    }

    [Fact]
    public async Task A_missing_or_foreign_database_is_an_error_that_names_it_and_creates_nothing()
    {
        var log = new JsonRunLog(_dir.Combine("log.json"));
        string foreign = _dir.Combine("other.sqlite");
        using (var db = new SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            db.Open();
            Execute(db, "CREATE TABLE t (x INT)");
        }

        var missing = await Assert.ThrowsAsync<AutoGlacierException>(() => GlacierBackupImport.ImportAsync(_dir.Combine("nope.sqlite"), log, _dir.Path, None));
        var wrong = await Assert.ThrowsAsync<AutoGlacierException>(() => GlacierBackupImport.ImportAsync(foreign, log, _dir.Path, None));

        Assert.Contains("nope.sqlite", missing.Message, StringComparison.Ordinal);
        Assert.Contains("not a glacierbackup database", wrong.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Combine("nope.sqlite")));
        Assert.False(File.Exists(log.Path));
    }

    [Fact]
    public async Task An_imported_job_restores_from_the_vault_checking_each_files_sha256()
    {
        if (!SeedPython.Available()) { return; }
        await using var glacier = await LocalGlacierFixture.StartAsync();
        string seedRoot = _dir.Combine("seed");
        string file = _dir.Write("home/me/doc.txt", "incremental document\n");
        var (seedKey, _) = SeedPython.Backup(seedRoot, [file], upload: glacier, vault: "SeedVault");
        using var seedLog = JsonDocument.Parse(File.ReadAllBytes(SeedPython.LogPath(seedRoot)));
        var seedRun = seedLog.RootElement.GetProperty(seedKey);
        var response = seedRun.GetProperty("response");
        string database = Database(new Job(7, 1600000000, response.GetProperty("archiveId").GetString()!, true,
            [(file, Convert.ToHexStringLower(SHA256.HashData("incremental document\n"u8)))],
            response.GetProperty("checksum").GetString()!, seedRun.GetProperty("archive_size").GetInt64()));
        var config = new GteuConfig
        {
            JsonDatabase = _dir.Combine("new-log.json"), TmpDir = _dir.Combine("tmp"), EndpointUrl = glacier.Endpoint,
            AwsAccessKeyId = LocalGlacierFixture.AccessKey, AwsSecretAccessKey = LocalGlacierFixture.SecretKey, RetrievalTier = "Expedited",
        };
        var imported = await GlacierBackupImport.ImportAsync(database, new JsonRunLog(config.JsonDatabase), config.TmpDir, None);
        string target = _dir.Combine("restored");

        var result = await RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = config, Selector = new RunSelector { RunKey = imported.Imported.Single() },
            PrivateKeyPath = SeedPython.PrivateKey(seedRoot), Passphrase = SeedPython.Passphrase, TargetDirectory = target,
        }, None);

        Assert.True(result.Problems.Count == 0, string.Join("; ", result.Problems));
        Assert.Equal(1, result.FilesVerified);
        Assert.Equal("incremental document\n", File.ReadAllText(BackupWorld.Restored(target, file)));
    }
}
