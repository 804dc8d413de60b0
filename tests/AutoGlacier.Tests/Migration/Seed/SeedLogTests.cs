using System.Text;
using System.Text.Json;
using AutoGlacier.Log;
using AutoGlacier.Migration.Seed;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Migration.Seed;

/// <summary>The Python seed's runs in the JSON log: read with their real time and status, never rewritten.</summary>
public sealed class SeedLogTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDir _dir = new();

    /// <summary>
    /// What the seed wrote: a finished run, a failed one, one killed after gathering (no "JOB SUCCEED"), and one that
    /// holds nothing but its key.
    /// </summary>
    private const string SeedLog = """
        {
            "1488837348.4431572": {
                "TIMESTAMP": 1488837348.4431572,
                "timestring": "2017-03-06 22:55:48",
                "compression": "lzma",
                "region_name": "eu-west-1",
                "vault_name": "TestVault1",
                "descryption": "shell scripts archive",
                "public_key_path": "/home/arkhebuz/AutoGlacier/my_rsa_public.pem",
                "files": [
                    {"SHA512": "AB12", "mod_time": 1488830000.5, "abs_path": "/home/arkhebuz/view.sh"},
                    {"SHA512": "cd34", "mod_time": 1488830001.0, "abs_path": "/home/arkhebuz/login.sh"}
                ],
                "archive_size": 10240,
                "response": {"archiveId": "SEEDARCHIVE-1", "checksum": "ABCDEF", "location": "/123/vaults/TestVault1/archives/SEEDARCHIVE-1"},
                "JOB SUCCEED": true
            },
            "1488923748.1": {"TIMESTAMP": 1488923748.1, "descryption": "failed run", "vault_name": "TestVault1", "region_name": "eu-west-1", "JOB SUCCEED": false},
            "1489010148.25": {"timestring": "2017-03-08 22:55:48", "descryption": "killed", "files": [{"SHA512": "ef", "mod_time": 1.0, "abs_path": "/x"}]},
            "1489096548.0": {}
        }
        """;

    public void Dispose() => _dir.Dispose();

    private JsonRunLog WriteSeedLog() => new(_dir.Write("log.json", SeedLog));

    [Fact]
    public async Task Seed_runs_list_with_real_time_status_counts_size_vault_and_archive()
    {
        var runs = (await WriteSeedLog().ListRunsAsync(None)).ToDictionary(r => r.Key, r => r.Value);

        Assert.Equal(4, runs.Count);
        RunRecord done = runs["1488837348.4431572"];
        Assert.Equal(SeedOrigins.JsonLog, done.Origin);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1488837348443).AddTicks(1572), done.StartedAt);
        Assert.Equal(2, done.FilesStored);
        Assert.Equal(10240, done.ArchiveSize);
        Assert.Equal("shell scripts archive", done.Description);
        Assert.Equal("glacier:eu-west-1/TestVault1", done.VaultLocation);
        Assert.Equal("SEEDARCHIVE-1", done.ArchiveId);
        Assert.Equal("abcdef", done.ArchiveTreeHash);
        Assert.Equal("sha512", done.FileHashAlgorithm);
        Assert.Equal(RunStatus.Failed, runs["1488923748.1"].Status);
        Assert.Null(runs["1488923748.1"].ArchiveId);
        Assert.Equal(RunStatus.Incomplete, runs["1489010148.25"].Status);
        Assert.Equal(1, runs["1489010148.25"].FilesStored);
        Assert.Equal(RunStatus.Incomplete, runs["1489096548.0"].Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1489096548), runs["1489096548.0"].StartedAt);
    }

    [Fact]
    public async Task A_seed_runs_files_read_as_file_records_with_sha512_and_tar_names()
    {
        var files = await WriteSeedLog().ReadFilesAsync("1488837348.4431572", None).ToListAsync();

        Assert.Equal(["/home/arkhebuz/view.sh", "/home/arkhebuz/login.sh"], files.Select(f => f.Path));
        Assert.Equal("home/arkhebuz/view.sh", files[0].ArchiveName);
        Assert.Equal("ab12", files[0].Hash);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1488830000500), files[0].Mtime);
    }

    [Fact]
    public async Task New_runs_are_added_beside_seed_runs_which_stay_byte_for_byte()
    {
        JsonRunLog log = WriteSeedLog();
        var before = SeedValues(log.Path);

        string key = await log.StartRunAsync(new RunRecord { Description = "ours" }, None);
        using (var spool = new FileRecordSpool(_dir.Path))
        {
            spool.Append(new FileRecord { Path = "/a", ArchiveName = "a", Hash = "00" });
            await log.CompleteRunAsync(key, new RunRecord { Description = "ours", Status = RunStatus.Succeeded, StartedAt = DateTimeOffset.UtcNow }, spool, None);
        }

        Assert.Equal(before, SeedValues(log.Path).Where(v => v.Key != key));
        var runs = await log.ListRunsAsync(None);
        Assert.Equal(5, runs.Count);
        Assert.Null(runs.Single(r => r.Key == key).Value.Origin);
        Assert.Equal(key, runs[^1].Key); // ordered by time: the seed's runs are older
    }

    [Fact]
    public async Task State_kept_for_a_seed_run_goes_to_a_companion_shown_in_its_place()
    {
        JsonRunLog log = WriteSeedLog();
        var before = SeedValues(log.Path);
        const string key = "1488837348.4431572";
        RunRecord seed = (await log.GetRunAsync(key, None))!;

        await log.UpdateRunAsync(key, seed with { BackendState = new Dictionary<string, string> { ["retrieval_token"] = "job-1" } }, None);
        await log.UpdateRunAsync(key, (await log.GetRunAsync(key, None))! with { Description = "second update" }, None);

        Assert.Equal(before, SeedValues(log.Path).Where(v => before.ContainsKey(v.Key)));
        RunRecord shown = (await log.GetRunAsync(key, None))!;
        Assert.Equal("job-1", shown.BackendState["retrieval_token"]);
        Assert.Equal("second update", shown.Description);
        var runs = await log.ListRunsAsync(None);
        Assert.Equal(4, runs.Count);
        Assert.Equal("second update", runs.Single(r => r.Key == key).Value.Description);
        Assert.Equal(2, (await log.ReadFilesAsync(key, None).ToListAsync()).Count); // files still come from the seed's record
    }

    [Fact]
    public async Task List_marks_seed_runs_and_names_their_vault_archive_and_real_start()
    {
        var log = WriteSeedLog();
        string config = _dir.Write("config.json", JsonSerializer.Serialize(new Dictionary<string, string> { ["JSON_DATABASE"] = log.Path, ["BACKEND"] = "local" }));

        var (exit, output, error) = await CliRun.InvokeAsync("list", "--config", config);

        Assert.True(exit == 0, error);
        string line = output.Split('\n').Single(l => l.StartsWith("1488837348.4431572", StringComparison.Ordinal));
        Assert.Contains("2017-03-06 21:55:48", line, StringComparison.Ordinal);
        Assert.Contains("succeeded", line, StringComparison.Ordinal);
        Assert.Contains("[seed run] glacier:eu-west-1/TestVault1 archive SEEDARCHIVE-1  shell scripts archive", line, StringComparison.Ordinal);
        Assert.Contains("incomplete", output.Split('\n').Single(l => l.StartsWith("1489010148.25", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    /// <summary>The raw JSON text of every top-level value, by key.</summary>
    private static Dictionary<string, string> SeedValues(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
    }
}
