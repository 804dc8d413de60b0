using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Jobs;

/// <summary>ON_SUCCESS_COMMAND / ON_FAILURE_COMMAND: run through /bin/sh with the run in the environment, never a secret; a failing hook is a warning.</summary>
[Collection(PassphraseEnvironment.Name)]
public class BackupHookTests
{
    [Fact]
    public async Task The_success_hook_gets_the_run_in_its_environment_and_no_secret()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "hooked");
        string seen = Path.Combine(world.Root, "hook-env.txt");
        string config = ConfigFile.With(world, "hooked.json", ("ON_SUCCESS_COMMAND", $"env > '{seen}'"), ("ON_FAILURE_COMMAND", "exit 0"));
        Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", "must not reach the hook");
        try
        {
            var run = await CliRun.InvokeAsync("backup", "--config", config, "--file", source, "--recursive");

            Assert.True(run.Exit == 0, run.Err);
            var env = File.ReadAllLines(seen).Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
            string runKey = (await world.Log.ListRunsAsync(CancellationToken.None)).Single().Key;
            Assert.Equal(runKey, env["AUTOGLACIER_RUN_KEY"]);
            Assert.Equal("succeeded", env["AUTOGLACIER_STATUS"]);
            Assert.Equal("0", env["AUTOGLACIER_EXIT_CODE"]);
            Assert.Equal("2", env["AUTOGLACIER_FILES_STORED"]);
            Assert.Equal("6", env["AUTOGLACIER_BYTES_READ"]);
            Assert.False(env.ContainsKey("AUTOGLACIER_PASSPHRASE"));
            Assert.DoesNotContain("must not reach the hook", File.ReadAllText(seen));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", null);
        }
    }

    [Fact]
    public async Task The_failure_hook_runs_after_a_failed_backup_and_a_failing_hook_is_only_a_warning()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "x");
        string seen = Path.Combine(world.Root, "failure.txt");
        // The vault directory is a file: the backup fails after it started.
        string blocked = Path.Combine(world.Root, "not-a-directory");
        File.WriteAllText(blocked, "");
        string failing = ConfigFile.With(world, "failing.json", ("LOCAL_VAULT_DIR", blocked),
            ("ON_FAILURE_COMMAND", $"echo \"$AUTOGLACIER_STATUS $AUTOGLACIER_EXIT_CODE\" > '{seen}'"));
        var failed = await CliRun.InvokeAsync("backup", "--config", failing, "--file", source, "--recursive");
        Assert.Equal(ExitCodes.Error, failed.Exit);
        Assert.Equal("failed 1", File.ReadAllText(seen).Trim());

        string broken = ConfigFile.With(world, "broken-hook.json", ("ON_SUCCESS_COMMAND", "echo about to fail >&2; exit 7"));
        var stored = await CliRun.InvokeAsync("backup", "--config", broken, "--file", source, "--recursive");
        Assert.True(stored.Exit == 0, stored.Err);
        Assert.Contains("ON_SUCCESS_COMMAND exited with code 7; the backup's result is unchanged", stored.Err);
        Assert.Contains("ON_SUCCESS_COMMAND: about to fail", stored.Err);
    }
}
