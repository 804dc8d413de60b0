using System.Text.Json;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Cli;

/// <summary>
/// A local-vault backup killed with SIGKILL leaves its run 'started' and its temporary archive in the vault; the next
/// 'resume' or backup marks it failed (interrupted) and removes the temporary archive.
/// </summary>
public sealed class KilledLocalBackupTests : IDisposable
{
    private readonly BackupWorld _world = new("lzma");
    private readonly string _source;
    private readonly string _configPath;

    public KilledLocalBackupTests()
    {
        _source = _world.NewDirectory("source");
        // Compressible but not trivially: lzma works on it long enough for the test to see the temp archive grow.
        var random = new Random(7);
        var words = Enumerable.Range(0, 4000).Select(_ => new string((char)random.Next('a', 'z'), random.Next(2, 9)) + random.Next(1000)).ToArray();
        File.WriteAllText(Path.Combine(_source, "words.txt"), string.Join(' ', Enumerable.Range(0, 4_000_000).Select(_ => words[random.Next(words.Length)])));
        _configPath = ConfigFile.With(_world, "slow.json", ("COMPRESSION_THREADS", 1));
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Resume_marks_the_killed_run_failed_interrupted_and_removes_its_temporary_archive()
    {
        string killed = await KillMidBackupAsync();

        var resume = await CliRun.InvokeAsync("resume", "--config", _configPath, "--json");

        Assert.True(resume.Exit == 0, resume.Err);
        using var report = JsonDocument.Parse(resume.Out);
        var settled = Assert.Single(report.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal((killed, "abandoned"), (settled.GetProperty("run_key").GetString(), settled.GetProperty("outcome").GetString()));
        await AssertSettledAsync(killed);
    }

    [Fact]
    public async Task The_next_backup_settles_the_killed_run_first()
    {
        string killed = await KillMidBackupAsync();
        var small = _world.NewDirectory("small");
        File.WriteAllText(Path.Combine(small, "a.txt"), "next night");

        var backup = await CliRun.InvokeAsync("backup", "--config", _configPath, "--file", small, "--recursive");

        Assert.True(backup.Exit == 0, backup.Err);
        Assert.Contains($"Run {killed} abandoned: interrupted", backup.Err);
        await AssertSettledAsync(killed);
    }

    private async Task<string> KillMidBackupAsync()
    {
        string archives = Path.Combine(_world.Config.LocalVaultDir, "archives");
        using (var child = ChildCli.Start("backup", "--config", _configPath, "--file", _source, "--recursive"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!(Directory.Exists(archives) && Directory.EnumerateFiles(archives, ".tmp-*.agc").Any(f => new FileInfo(f).Length > 0)))
            {
                Assert.False(child.HasExited, "the backup ended before it could be killed: " + child.Output);
                Assert.True(DateTime.UtcNow < deadline, "the backup never wrote its temporary archive: " + child.Output);
                await Task.Delay(50);
            }

            child.Kill();
        }

        var runs = await _world.Log.ListRunsAsync(CancellationToken.None);
        var run = Assert.Single(runs);
        Assert.Equal(RunStatus.Started, run.Value.Status);
        Assert.NotEmpty(Directory.EnumerateFiles(archives, ".tmp-*.agc"));
        return run.Key;
    }

    private async Task AssertSettledAsync(string runKey)
    {
        var record = (await _world.Log.GetRunAsync(runKey, CancellationToken.None))!;
        Assert.Equal(RunStatus.Failed, record.Status);
        Assert.StartsWith("interrupted", record.Error);
        Assert.Contains("temporary archive", record.Error);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_world.Config.LocalVaultDir, "archives"), ".tmp-*"));
    }
}
