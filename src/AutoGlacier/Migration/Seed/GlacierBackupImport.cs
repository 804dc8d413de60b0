using AutoGlacier.Vaults.Glacier;
using System.Globalization;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using Microsoft.Data.Sqlite;

namespace AutoGlacier.Migration.Seed;

/// <summary>What <c>import-seed</c> did.</summary>
/// <param name="Imported">Run keys added to the log, one per job.</param>
/// <param name="AlreadyPresent">Jobs skipped because the log already holds them (an earlier import).</param>
internal sealed record SeedImportResult(IReadOnlyList<string> Imported, int AlreadyPresent);

/// <summary>
/// Adds the jobs of glacierbackup (the seed's released successor, same archive format) from its SQLite database to
/// the JSON log as seed runs: BackupJobs with their ConfigurationSets (region, vault, public key, compression) and
/// the files each job backed up (Backups, with SHA-256). The database is opened read-only and never written; a job
/// already imported (same job id and archive id) is skipped, so importing twice adds nothing.
/// </summary>
internal static class GlacierBackupImport
{
    /// <summary>The backend-state key holding the glacierbackup job id of an imported run.</summary>
    public const string JobIdKey = "glacierbackup_job_id";

    /// <summary>Imports every job of <paramref name="databasePath"/> into <paramref name="log"/>.</summary>
    /// <exception cref="AutoGlacierException">The file is missing or is not a glacierbackup database.</exception>
    public static async Task<SeedImportResult> ImportAsync(string databasePath, JsonRunLog log, string tmpDir, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentNullException.ThrowIfNull(log);
        if (!File.Exists(databasePath))
        {
            throw new AutoGlacierException($"The glacierbackup database '{databasePath}' does not exist; pass the path of its .sqlite file with --database.");
        }
        var runs = File.Exists(log.Path) ? await log.ListRunsAsync(cancellationToken).ConfigureAwait(false) : [];
        var present = runs.Where(r => r.Value.Origin == SeedOrigins.GlacierBackup)
            .Select(r => Identity(r.Value.BackendState.GetValueOrDefault(JobIdKey), r.Value.ArchiveId)).ToHashSet(StringComparer.Ordinal);
        var keys = runs.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        await using var db = Open(databasePath);
        var imported = new List<string>();
        int skipped = 0;
        foreach (var job in await ReadJobsAsync(db, databasePath, cancellationToken).ConfigureAwait(false))
        {
            if (!present.Add(Identity(job.JobId, job.Record.ArchiveId))) { skipped++; continue; }
            // Adding as it checks reserves the key chosen, so two jobs of the same second get different keys.
            string key = RunKeys.NewKey(job.Record.StartedAt, candidate => !keys.Add(candidate));
            using var files = new FileRecordSpool(tmpDir);
            int count = await ReadFilesAsync(db, job.JobId, files, cancellationToken).ConfigureAwait(false);
            await log.CompleteRunAsync(key, job.Record with { FilesStored = count }, files, cancellationToken).ConfigureAwait(false);
            imported.Add(key);
        }
        return new SeedImportResult(imported, skipped);
    }

    private static string Identity(string? jobId, string? archiveId) => $"{jobId}|{archiveId}";

    /// <summary>Read-only: SQLite itself refuses every write, so the user's database cannot be changed by mistake.</summary>
    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private sealed record Job(string JobId, RunRecord Record);

    private static async Task<List<Job>> ReadJobsAsync(SqliteConnection db, string path, CancellationToken cancellationToken)
    {
        using var command = db.CreateCommand();
        command.CommandText = """
            SELECT j.job_id, j.timestamp, j.description, j.archive_size, j.archive_checksum, j.location, j.archive_id,
                   j.success, j.errors_message, c.region_name, c.vault_name, c.public_key, c.compression_algorithm
            FROM BackupJobs j LEFT JOIN ConfigurationSets c ON c.set_id = j.configuration_set_id
            ORDER BY j.timestamp, j.job_id
            """;
        var jobs = new List<Job>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                jobs.Add(ToJob(reader));
            }
        }
        catch (SqliteException ex)
        {
            throw new AutoGlacierException($"'{path}' is not a glacierbackup database (tables BackupJobs and ConfigurationSets): {ex.Message}", ex);
        }
        return jobs;
    }

    private static Job ToJob(SqliteDataReader row)
    {
        string? Text(int i) => row.IsDBNull(i) ? null : Convert.ToString(row.GetValue(i), CultureInfo.InvariantCulture);
        string jobId = Text(0)!;
        bool success = !row.IsDBNull(7) && row.GetInt64(7) != 0;
        string? region = Text(9), vault = Text(10);
        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (region is not null) { config[ConfigKeys.RegionName] = region; }
        if (vault is not null) { config[GlacierBackend.VaultName] = vault; }
        if (Text(12) is { } compression) { config[ConfigKeys.Compression] = compression; }
        string? archiveId = string.IsNullOrEmpty(Text(6)) ? null : Text(6);
        var record = new SeedLogRecord
        {
            JobSucceeded = success,
            RegionName = region,
            VaultName = vault,
            Compression = Text(12),
            UsedPublicKey = Text(11),
            Description = Text(2),
            ArchiveSize = row.IsDBNull(3) ? null : row.GetInt64(3),
            Response = new SeedUploadResponse { ArchiveId = archiveId, Checksum = Text(4), Location = Text(5) },
        }.ToRunRecord(Text(1) ?? "0", 0);
        return new Job(jobId, record with
        {
            Origin = SeedOrigins.GlacierBackup,
            Job = "glacierbackup",
            Error = success ? null : Text(8) ?? "glacierbackup recorded the job as failed",
            FileHashAlgorithm = "sha256",
            Config = config,
            BackendState = new Dictionary<string, string> { [JobIdKey] = jobId },
        });
    }

    private static async Task<int> ReadFilesAsync(SqliteConnection db, string jobId, FileRecordSpool files, CancellationToken cancellationToken)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT abs_path, mod_date, sha256 FROM Backups WHERE job_id = $job ORDER BY abs_path";
        command.Parameters.AddWithValue("$job", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        int count = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string path = reader.GetString(0);
            files.Append(new FileRecord
            {
                Path = path,
                ArchiveName = path.TrimStart('/'),
                Mtime = reader.IsDBNull(1) ? null : DateTimeOffset.UnixEpoch.AddSeconds(reader.GetDouble(1)),
                Hash = reader.GetString(2).ToLowerInvariant(),
            });
            count++;
        }
        return count;
    }
}
