using System.Text.Json;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Cli;

/// <summary>The rough edges a new user found (issue 10), each as it was met.</summary>
[Collection(PassphraseEnvironment.Name)]
public class CliRoughEdgeTests
{
    [Fact]
    public async Task Keygen_into_a_missing_directory_creates_it_owner_only()
    {
        using var dir = new TempDir();
        Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", "rough edge passphrase");
        try
        {
            var run = await CliRun.InvokeAsync("keygen", "--private-key", dir.Combine("new", "keys", "priv.pem"), "--public-key", dir.Combine("pub", "pub.pem"), "--bits", "2048");

            Assert.True(run.Exit == 0, run.Err);
            Assert.True(File.Exists(dir.Combine("new", "keys", "priv.pem")));
            Assert.True(File.Exists(dir.Combine("pub", "pub.pem")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.Combine("new", "keys")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", null);
        }
    }

    [Fact]
    public async Task List_shows_a_failed_runs_files_as_not_stored_and_dates_seed_runs_by_their_key()
    {
        using var world = new BackupWorld("none");
        Directory.CreateDirectory(Path.GetDirectoryName(world.Config.JsonDatabase)!);
        // A log the Python seed wrote (its keys are time.time() floats), which AutoGlacier then appended to.
        File.WriteAllText(world.Config.JsonDatabase, """
            {"1488837348.4431572": {"JOB SUCCEED": true, "TIMESTAMP": 1488837348.4431572, "timestring": "Mon Mar  6 21:55:48 2017"}}
            """);
        string failedKey = await world.Log.StartRunAsync(new RunRecord { Description = "died" }, CancellationToken.None);
        await world.Log.UpdateRunAsync(failedKey, new RunRecord
        {
            Status = RunStatus.Failed, StartedAt = DateTimeOffset.UtcNow, Description = "died", FilesStored = 5, Error = "disk full",
        }, CancellationToken.None);

        var table = await CliRun.InvokeAsync("list", "--config", world.ConfigPath);
        using var json = JsonDocument.Parse((await CliRun.InvokeAsync("list", "--config", world.ConfigPath, "--json")).Out);

        Assert.DoesNotContain("0001-01-01", table.Out);
        Assert.Contains("2017-03-06 21:55:48", table.Out);
        Assert.Contains("0 (5 read)", table.Out);
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("run_key").GetString()!);
        var seed = runs["1488837348.4431572"];
        Assert.Equal("run_key", seed.GetProperty("started_at_source").GetString());
        Assert.StartsWith("2017-03-06T21:55:48", seed.GetProperty("started_at").GetString());
        Assert.Equal("succeeded", seed.GetProperty("status").GetString()); // "JOB SUCCEED": true, read by the seed reader
        var failed = runs[failedKey];
        Assert.Equal((0, 5), (failed.GetProperty("files_stored").GetInt32(), failed.GetProperty("files_read").GetInt32()));
    }

    [Fact]
    public async Task Absolute_and_outside_symlinks_are_restored_as_they_were_unless_skipped()
    {
        using var world = new BackupWorld("zstd");
        var outside = world.NewDirectory("outside");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "inside");
        File.CreateSymbolicLink(Path.Combine(source, "absolute"), "/etc/alternatives");
        File.CreateSymbolicLink(Path.Combine(source, "climbing"), "../../../../../../outside/x");
        File.CreateSymbolicLink(Path.Combine(source, "internal"), "a.txt");
        Assert.Equal(0, (await world.BackupAsync([source])).ExitCode);

        Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", BackupWorld.Passphrase);
        try
        {
            string all = world.NewDirectory("all");
            var faithful = await CliRun.InvokeAsync("restore", "--config", world.ConfigPath, "--latest", "--private-key", world.PrivateKeyPath, "--to", all);
            Assert.True(faithful.Exit == 0, faithful.Err);
            string restored = BackupWorld.Restored(all, source);
            Assert.Equal("/etc/alternatives", new FileInfo(Path.Combine(restored, "absolute")).LinkTarget);
            Assert.Equal("../../../../../../outside/x", new FileInfo(Path.Combine(restored, "climbing")).LinkTarget);
            Assert.Equal("inside", File.ReadAllText(Path.Combine(restored, "internal")));
            Assert.Empty(Directory.EnumerateFileSystemEntries(outside));

            string some = world.NewDirectory("some");
            var skipping = await CliRun.InvokeAsync("restore", "--config", world.ConfigPath, "--latest", "--private-key", world.PrivateKeyPath,
                "--to", some, "--skip-external-symlinks", "--json");
            Assert.True(skipping.Exit == 0, skipping.Err);
            using var report = JsonDocument.Parse(skipping.Out);
            Assert.Equal(2, report.RootElement.GetProperty("skipped_symlinks").GetArrayLength());
            string partial = BackupWorld.Restored(some, source);
            Assert.False(Path.Exists(Path.Combine(partial, "absolute")));
            Assert.False(Path.Exists(Path.Combine(partial, "climbing")));
            Assert.Equal("a.txt", new FileInfo(Path.Combine(partial, "internal")).LinkTarget);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", null);
        }
    }
}
