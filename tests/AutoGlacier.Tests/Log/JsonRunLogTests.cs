using System.Text.Json;
using System.Text.RegularExpressions;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using static AutoGlacier.Tests.Log.LogTestData;

namespace AutoGlacier.Tests.Log;

public sealed class JsonRunLogTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private JsonRunLog NewLog() => new(_dir.File("log.json"));

    private static JsonElement RunJson(JsonRunLog log, string key) =>
        JsonDocument.Parse(File.ReadAllBytes(log.Path)).RootElement.GetProperty(key);

    [Fact]
    public async Task StartRun_writes_a_started_record_under_a_microsecond_key()
    {
        JsonRunLog log = NewLog();
        string key = await log.StartRunAsync(Record("first") with { Status = RunStatus.Succeeded }, None);

        Assert.Matches(new Regex(@"^\d{10}\.\d{6}$"), key);
        JsonElement run = RunJson(log, key);
        Assert.Equal("started", run.GetProperty("status").GetString());
        Assert.Equal("first", run.GetProperty("description").GetString());
        Assert.False(run.TryGetProperty("files", out _));
        Assert.Equal(RunStatus.Started, (await log.GetRunAsync(key, None))!.Status);
    }

    [Fact]
    public async Task CompleteRun_writes_status_and_files()
    {
        JsonRunLog log = NewLog();
        string key = await log.StartRunAsync(Record("run"), None);
        using FileRecordSpool spool = Spool(_dir.Path, 3);
        await log.CompleteRunAsync(key, Record("run") with { Status = RunStatus.Succeeded, FilesStored = 3 }, spool, None);

        JsonElement run = RunJson(log, key);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(3, run.GetProperty("files_stored").GetInt32());
        Assert.Equal(3, run.GetProperty("files").GetArrayLength());
        Assert.Equal("/data/f2.txt", run.GetProperty("files")[2].GetProperty("path").GetString());
        Assert.Equal(Enumerable.Range(0, 3).Select(FileAt), await ReadFiles(log, key));
        Assert.Equal(RunStatus.Succeeded, Assert.Single(await log.ListRunsAsync(None)).Value.Status);
    }

    [Fact]
    public async Task Runs_launched_in_the_same_microsecond_get_distinct_keys_and_neither_is_overwritten()
    {
        JsonRunLog log = NewLog();
        string first = await log.StartRunAsync(Record("a"), None);
        string second = await log.StartRunAsync(Record("b"), None);
        string third = await log.StartRunAsync(Record("c"), None);

        long seconds = Launch.ToUnixTimeSeconds();
        Assert.Equal([$"{seconds}.000000", $"{seconds}.000001", $"{seconds}.000002"], [first, second, third]);
        IReadOnlyList<KeyValuePair<string, RunRecord>> runs = await log.ListRunsAsync(None);
        Assert.Equal(["a", "b", "c"], runs.Select(r => r.Value.Description));
    }

    [Fact]
    public async Task A_new_key_never_equals_an_existing_key_written_with_fewer_digits()
    {
        JsonRunLog log = NewLog();
        long seconds = Launch.ToUnixTimeSeconds();
        File.WriteAllText(log.Path, $"{{\"{seconds}.0\": {{\"description\": \"python\"}}}}");

        string key = await log.StartRunAsync(Record("new"), None);

        Assert.Equal($"{seconds}.000001", key);
        Assert.Equal(["python", "new"], (await log.ListRunsAsync(None)).Select(r => r.Value.Description));
    }

    [Fact]
    public async Task Updating_or_completing_a_run_missing_from_the_log_adds_it_rather_than_losing_it()
    {
        JsonRunLog log = NewLog();
        await log.UpdateRunAsync("100.000001", Record("updated"), None);
        using FileRecordSpool spool = Spool(_dir.Path, 2);
        await log.CompleteRunAsync("100.000002", Record("completed"), spool, None);

        Assert.Equal(["updated", "completed"], (await log.ListRunsAsync(None)).Select(r => r.Value.Description));
        Assert.Equal(2, (await ReadFiles(log, "100.000002")).Count);
    }

    [Fact]
    public async Task A_crash_after_start_leaves_the_run_started()
    {
        string key = await NewLog().StartRunAsync(Record("crashed"), None);

        // A new process (new instance) sees the run, still "started", with no files.
        JsonRunLog reopened = NewLog();
        Assert.Equal(RunStatus.Started, (await reopened.GetRunAsync(key, None))!.Status);
        Assert.Empty(await ReadFiles(reopened, key));
    }

    [Theory]
    [InlineData("{\n  \"1.000001\": { \"status\": \"started\" ,, }\n}", "line 2")]
    [InlineData("{\n  \"1.000001\": { \"status\": \"started\" }\n", "line 3")]
    [InlineData("[1, 2, 3]", "top level is not a JSON object")]
    [InlineData("\"just a string\"", "top level is not a JSON object")]
    public async Task An_invalid_log_is_reported_and_never_overwritten(string content, string expected)
    {
        JsonRunLog log = NewLog();
        File.WriteAllText(log.Path, content);
        byte[] before = File.ReadAllBytes(log.Path);

        var error = await Assert.ThrowsAsync<AutoGlacierException>(() => log.StartRunAsync(Record("x"), None));

        Assert.Contains(log.Path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains("never overwrites an invalid log", error.Message);
        Assert.Equal(before, File.ReadAllBytes(log.Path));
        await Assert.ThrowsAsync<AutoGlacierException>(() => log.ListRunsAsync(None));
        Assert.Equal(before, File.ReadAllBytes(log.Path));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Fact]
    public async Task A_missing_log_and_its_directory_are_created()
    {
        var log = new JsonRunLog(_dir.File("nested", "deeper", "log.json"));
        string key = await log.StartRunAsync(Record("x"), None);

        Assert.True(File.Exists(log.Path));
        Assert.Equal("x", (await log.GetRunAsync(key, None))!.Description);
    }

    [Fact]
    public async Task Reading_a_missing_log_gives_no_runs_and_creates_nothing()
    {
        JsonRunLog log = NewLog();
        Assert.Empty(await log.ListRunsAsync(None));
        Assert.Null(await log.GetRunAsync("1.000000", None));
        Assert.False(File.Exists(log.Path));
    }

    [Fact]
    public async Task UpdateRun_replaces_the_record_and_keeps_the_files()
    {
        JsonRunLog log = NewLog();
        string key = await log.StartRunAsync(Record("run"), None);
        using FileRecordSpool spool = Spool(_dir.Path, 5);
        await log.CompleteRunAsync(key, Record("run") with { Status = RunStatus.Succeeded }, spool, None);
        var state = new Dictionary<string, string> { ["upload_id"] = "u-1" };

        await log.UpdateRunAsync(key, Record("run") with { Status = RunStatus.Succeeded, BackendState = state }, None);

        RunRecord updated = (await log.GetRunAsync(key, None))!;
        Assert.Equal("u-1", updated.BackendState["upload_id"]);
        Assert.Equal(Enumerable.Range(0, 5).Select(FileAt), await ReadFiles(log, key));
    }

    [Fact]
    public async Task Other_entries_are_copied_byte_for_byte_and_runs_are_listed_in_numeric_key_order()
    {
        JsonRunLog log = NewLog();
        const string foreign = "{\"description\":   \"python era\", \"odd\": [1, {\"x\": null}]}";
        const string older = "{ \"status\": \"succeeded\", \"description\": \"older\", \"started_at\": \"2001-01-01T00:00:00+00:00\" }";
        File.WriteAllText(log.Path, $"{{\"1000000000.5\": {older},\n\"999999999.25\": {foreign}, \"text\": 42}}");

        string key = await log.StartRunAsync(Record("new"), None);

        string text = File.ReadAllText(log.Path);
        Assert.Contains(foreign, text);
        Assert.Contains(older, text);
        Assert.Contains("\"text\": 42", text);
        IReadOnlyList<KeyValuePair<string, RunRecord>> runs = await log.ListRunsAsync(None);
        Assert.Equal(["999999999.25", "1000000000.5", key], runs.Select(r => r.Key));
    }

    [Fact]
    public async Task File_records_with_awkward_characters_round_trip()
    {
        JsonRunLog log = NewLog();
        string key = await log.StartRunAsync(Record("run"), None);
        string[] paths = ["/a \"quoted\"\\back\nslash", "/ünïcödé/файл/😀", "/tab\there"];
        using FileRecordSpool spool = Spool(_dir.Path, paths.Length, i => FileAt(i) with { Path = paths[i], Reason = "}\n{" });
        await log.CompleteRunAsync(key, Record("run"), spool, None);
        await log.UpdateRunAsync(key, Record("run \n \"x\""), None);

        Assert.Equal(paths, (await ReadFiles(log, key)).Select(f => f.Path));
        Assert.Equal("run \n \"x\"", (await log.GetRunAsync(key, None))!.Description);
    }

    [Fact]
    public async Task No_temporary_files_remain_after_writes()
    {
        JsonRunLog log = NewLog();
        string spoolDir = _dir.File("spool");
        for (int i = 0; i < 3; i++)
        {
            string key = await log.StartRunAsync(Record("r"), None);
            using FileRecordSpool spool = Spool(spoolDir, 2);
            await log.CompleteRunAsync(key, Record("r"), spool, None);
        }

        Assert.Equal(["log.json", "log.json.lock"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetFiles(spoolDir));
    }

    [Fact]
    public async Task A_held_lock_makes_a_writer_wait_then_fail_clearly_without_touching_the_log()
    {
        var log = new JsonRunLog(_dir.File("log.json")) { LockTimeout = TimeSpan.FromMilliseconds(300) };
        await log.StartRunAsync(Record("before"), None);
        byte[] before = File.ReadAllBytes(log.Path);

        using (new FileStream(log.Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var error = await Assert.ThrowsAsync<AutoGlacierException>(() => log.StartRunAsync(Record("x"), None));
            Assert.Contains("lock", error.Message);
            Assert.Contains(log.Path + ".lock", error.Message);
        }

        Assert.Equal(before, File.ReadAllBytes(log.Path));
        await log.StartRunAsync(Record("after"), None);
        Assert.Equal(2, (await log.ListRunsAsync(None)).Count);
    }

    [Fact]
    public async Task Secrets_of_the_configuration_never_reach_the_log()
    {
        const string passphrase = "correct-horse-PASSPHRASE-7731";
        const string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET";
        var config = new GteuConfig { RsaPassphrase = passphrase, AwsAccessKeyId = "AKIDEXAMPLE", AwsSecretAccessKey = secret };
        JsonRunLog log = NewLog();
        RunRecord record = Record("run") with { Config = config.Summary() };
        string key = await log.StartRunAsync(record, None);
        using FileRecordSpool spool = Spool(_dir.Path, 2);
        await log.CompleteRunAsync(key, record with { Status = RunStatus.Succeeded }, spool, None);

        string text = File.ReadAllText(log.Path);
        Assert.Contains("RSA_PASSPHRASE", text);
        Assert.DoesNotContain(passphrase, text);
        Assert.DoesNotContain(secret, text);
    }
}
